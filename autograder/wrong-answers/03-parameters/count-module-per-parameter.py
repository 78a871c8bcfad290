# cell: count-parameters
# loses: count-parameters-tests
# mistake: one entry per parameter, under the parameter's name, not per module
def count_by_module(model):
    return {name: p.numel() for name, p in model.named_parameters()}
