# cell: count-parameters
# loses: count-parameters-tests
# mistake: counts parameter tensors instead of their elements
def count_parameters(model, trainable_only=False):
    params = [p for p in model.parameters() if p.requires_grad or not trainable_only]
    return len(params)
