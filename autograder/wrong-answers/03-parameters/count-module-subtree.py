# cell: count-parameters
# loses: count-parameters-tests
# mistake: module.parameters() recurses, so every container counts its layers again
def count_by_module(model):
    counts = {}
    for name, module in model.named_modules():
        size = sum(p.numel() for p in module.parameters())
        if size:
            counts[name] = size
    return counts
