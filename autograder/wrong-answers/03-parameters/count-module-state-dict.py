# cell: count-parameters
# loses: count-parameters-tests
# mistake: counts the state_dict: buffers, and shared tensors at every place
def count_by_module(model):
    counts = {}
    for name, tensor in model.state_dict().items():
        module = name.rpartition(".")[0]
        counts[module] = counts.get(module, 0) + tensor.numel()
    return counts
