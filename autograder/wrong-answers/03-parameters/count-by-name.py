# cell: count-parameters
# loses: count-parameters-tests
# mistake: counts only parameters named weight or bias, missing any other parameter
def count_parameters(model, trainable_only=False):
    return sum(
        p.numel()
        for name, p in model.named_parameters()
        if name.endswith(("weight", "bias")) and (p.requires_grad or not trainable_only)
    )
