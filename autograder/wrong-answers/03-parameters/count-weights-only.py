# cell: count-parameters
# loses: count-parameters-tests
# mistake: counts the weights and forgets the biases
def count_parameters(model, trainable_only=False):
    return sum(
        p.numel()
        for name, p in model.named_parameters()
        if name.endswith("weight") and (p.requires_grad or not trainable_only)
    )
