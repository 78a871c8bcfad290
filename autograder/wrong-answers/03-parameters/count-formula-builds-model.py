# cell: mlp-parameter-count
# loses: mlp-parameter-count-tests
# mistake: builds the nn.Linear layers and counts their parameters, not the formula
def mlp_parameter_count(sizes):
    pairs = zip(sizes[:-1], sizes[1:], strict=True)
    layers = [nn.Linear(n_in, n_out) for n_in, n_out in pairs]
    return sum(p.numel() for layer in layers for p in layer.parameters())
