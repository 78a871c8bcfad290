# cell: count-parameters
# loses: count-parameters-tests
# mistake: lists every module, with 0 for those without a parameter of their own
def count_by_module(model):
    counts = {name: 0 for name, _ in model.named_modules()}
    for name, p in model.named_parameters():
        counts[name.rpartition(".")[0]] += p.numel()
    return counts
