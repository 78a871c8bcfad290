# cell: count-parameters
# loses: count-parameters-tests
# mistake: walks the top-level layers only, so nested layers are not counted
def count_parameters(model, trainable_only=False):
    total = 0
    for layer in model.children():
        for p in layer.parameters(recurse=False):
            if p.requires_grad or not trainable_only:
                total += p.numel()
    return total
