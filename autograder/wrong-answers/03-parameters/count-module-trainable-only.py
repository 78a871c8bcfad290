# cell: count-parameters
# loses: count-parameters-tests
# mistake: leaves out the frozen parameters
def count_by_module(model):
    counts = {}
    for name, p in model.named_parameters():
        if p.requires_grad:
            module = name.rpartition(".")[0]
            counts[module] = counts.get(module, 0) + p.numel()
    return counts
