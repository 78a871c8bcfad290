# cell: to-device
# scores: to-device-tests
# style: moves the tensors in a generator expression, device given by keyword
def to_device(model, X, y, device):
    X, y = (tensor.to(device=device) for tensor in (X, y))
    return model.to(device=device), X, y
