# cell: count-parameters
# loses: count-parameters-tests
# mistake: a dict as default argument is made once, so counts pile up from call to call
def count_by_module(model, counts={}):  # noqa: B006 -- the mistake kept
    for name, p in model.named_parameters():
        module = name.rpartition(".")[0]
        counts[module] = counts.get(module, 0) + p.numel()
    return counts
