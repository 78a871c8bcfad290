# cell: make-mlp
# scores: make-mlp-tests
# style: builds the layers with zip over neighbouring widths
def make_mlp(sizes):
    layers = [nn.Flatten()]
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers += [nn.ReLU()] if k else []
        layers.append(nn.Linear(n_in, n_out))
    return nn.Sequential(*layers)
