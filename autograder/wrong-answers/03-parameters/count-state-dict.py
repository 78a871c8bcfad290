# cell: count-parameters
# loses: count-parameters-tests
# mistake: counts the state_dict, which holds buffers and shared tensors twice
def count_parameters(model, trainable_only=False):
    if trainable_only:
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    return sum(t.numel() for t in model.state_dict().values())
