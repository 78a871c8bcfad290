# cell: mlp-parameter-count
# loses: mlp-parameter-count-tests
# mistake: pops the caller's list of sizes while counting
def mlp_parameter_count(sizes):
    total = 0
    n_in = sizes.pop(0)
    while sizes:
        n_out = sizes.pop(0)
        total += n_in * n_out + n_out
        n_in = n_out
    return total
