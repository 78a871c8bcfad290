# cell: count-parameters
# loses: count-parameters-tests
# mistake: names the top-level module of the path, not the one that holds it
def count_by_module(model):
    counts = {}
    for name, p in model.named_parameters():
        module = name.split(".")[0]
        counts[module] = counts.get(module, 0) + p.numel()
    return counts
