# cell: count-parameters
# loses: count-parameters-tests
# mistake: parameters(recurse=False) per module: a shared parameter counts twice
def count_by_module(model):
    counts = {}
    for name, module in model.named_modules():
        size = sum(p.numel() for p in module.parameters(recurse=False))
        if size:
            counts[name] = size
    return counts
