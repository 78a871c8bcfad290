# cell: count-parameters
# scores: count-parameters-tests
# style: walks modules(recurse=False) and removes duplicates by id itself
def count_parameters(model, trainable_only=False):
    unique = {}
    for module in model.modules():
        for param in module.parameters(recurse=False):
            unique[id(param)] = param
    return sum(
        p.numel() for p in unique.values() if p.requires_grad or not trainable_only
    )
