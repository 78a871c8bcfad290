# cell: count-parameters
# loses: count-parameters-tests
# mistake: counts parameter tensors instead of their values
def count_by_module(model):
    counts = {}
    for name, _ in model.named_parameters():
        module = name.rpartition(".")[0]
        counts[module] = counts.get(module, 0) + 1
    return counts
