# cell: count-parameters
# loses: count-parameters-tests
# mistake: rsplit('.', 1)[0] keeps a name without a dot: the model's own misnamed
def count_by_module(model):
    counts = {}
    for name, p in model.named_parameters():
        module = name.rsplit(".", 1)[0]
        counts[module] = counts.get(module, 0) + p.numel()
    return counts
