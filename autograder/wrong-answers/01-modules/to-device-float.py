# cell: to-device
# loses: to-device-tests
# mistake: converts X to float32 on the way (.float()), so float64 or uint8 X change
def to_device(model, X, y, device):
    return model.to(device), X.to(device).float(), y.to(device)
