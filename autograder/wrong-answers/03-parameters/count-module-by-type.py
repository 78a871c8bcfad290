# cell: count-parameters
# loses: count-parameters-tests
# mistake: keys the counts by the module's class, which merges layers of one type
def count_by_module(model):
    counts = {}
    for module in model.modules():
        size = sum(p.numel() for p in module.parameters(recurse=False))
        if size:
            kind = type(module).__name__
            counts[kind] = counts.get(kind, 0) + size
    return counts
