# cell: count-parameters
# loses: count-parameters-tests
# mistake: ignores trainable_only, so frozen parameters are counted too
def count_parameters(model, trainable_only=False):
    return sum(p.numel() for p in model.parameters())
