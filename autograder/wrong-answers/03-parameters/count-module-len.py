# cell: count-parameters
# loses: count-parameters-tests
# mistake: len(p) is the length of the first dimension, not the number of values
def count_by_module(model):
    counts = {}
    for name, p in model.named_parameters():
        module = name.rpartition(".")[0]
        counts[module] = counts.get(module, 0) + len(p)
    return counts
