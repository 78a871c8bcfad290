# cell: mlp-parameter-count
# loses: mlp-parameter-count-tests
# mistake: one bias per input feature (in * out + in) instead of per output
def mlp_parameter_count(sizes):
    pairs = zip(sizes[:-1], sizes[1:], strict=True)
    return sum(n_in * n_out + n_in for n_in, n_out in pairs)
