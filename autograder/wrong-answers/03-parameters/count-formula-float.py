# cell: mlp-parameter-count
# loses: mlp-parameter-count-tests
# mistake: returns a float (from a product of floats) instead of an int
def mlp_parameter_count(sizes):
    total = 0.0
    for i in range(len(sizes) - 1):
        total += sizes[i] * sizes[i + 1] + sizes[i + 1]
    return total
