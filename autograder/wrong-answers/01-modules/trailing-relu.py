# cell: make-mlp
# loses: make-mlp-tests
# mistake: a ReLU after every Linear layer, the last one included
def make_mlp(sizes):
    layers = [nn.Flatten()]
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU()]
    return nn.Sequential(*layers)
