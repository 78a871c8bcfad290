# cell: count-parameters
# loses: count-parameters-tests
# mistake: remove_duplicate=False names a reused layer at each place: counted twice
def count_by_module(model):
    counts = {}
    for name, p in model.named_parameters(remove_duplicate=False):
        module = name.rpartition(".")[0]
        counts[module] = counts.get(module, 0) + p.numel()
    return counts
