# cell: mlp-parameter-count
# loses: mlp-parameter-count-tests
# mistake: counts the weights only, forgetting the biases
def mlp_parameter_count(sizes):
    pairs = zip(sizes[:-1], sizes[1:], strict=True)
    return sum(n_in * n_out for n_in, n_out in pairs)
