# cell: mlp-parameter-count
# scores: mlp-parameter-count-tests
# style: an index loop that adds the weights and the biases separately
def mlp_parameter_count(sizes):
    total = 0
    for i in range(len(sizes) - 1):
        total += sizes[i] * sizes[i + 1]  # weights
        total += sizes[i + 1]  # biases
    return total
