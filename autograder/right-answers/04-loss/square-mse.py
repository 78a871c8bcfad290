# cell: mse
# scores: mse-tests
# style: torch.square and a sum divided by the number of elements
def mse(y_pred, y):
    return torch.square(y_pred - y).sum() / y.numel()
