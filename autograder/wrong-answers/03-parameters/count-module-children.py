# cell: count-parameters
# loses: count-parameters-tests
# mistake: counts the direct submodules only, each with all inside it (as the figure)
def count_by_module(model):
    counts = {}
    for name, child in model.named_children():
        size = sum(p.numel() for p in child.parameters())
        if size:
            counts[name] = size
    return counts
