# cell: make-mlp
# loses: make-mlp-tests
# mistake: every Linear layer built with bias=False
def make_mlp(sizes):
    layers = [nn.Flatten()]
    for i in range(len(sizes) - 1):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(sizes[i], sizes[i + 1], bias=False))
    return nn.Sequential(*layers)
