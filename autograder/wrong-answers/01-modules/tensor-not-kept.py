# cell: to-device
# loses: to-device-tests
# mistake: X.to(device) and y.to(device) are called but their results dropped
def to_device(model, X, y, device):
    model.to(device)
    X.to(device)
    y.to(device)
    return model, X, y
