# cell: mse
# scores: mse-tests
# style: a dot product of the flattened differences with themselves
def mse(y_pred, y):
    diff = (y_pred - y).flatten()
    return diff @ diff / diff.numel()
