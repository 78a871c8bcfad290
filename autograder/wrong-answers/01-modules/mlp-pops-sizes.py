# cell: make-mlp
# loses: make-mlp-tests
# mistake: pops the caller's list of sizes while building the layers
def make_mlp(sizes):
    layers = [nn.Flatten()]
    n_in = sizes.pop(0)
    while sizes:
        n_out = sizes.pop(0)
        if len(layers) > 1:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(n_in, n_out))
        n_in = n_out
    return nn.Sequential(*layers)
