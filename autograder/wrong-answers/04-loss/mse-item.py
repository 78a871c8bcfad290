# cell: mse
# loses: mse-tests
# mistake: returns a Python float with .item(), which is not differentiable
def mse(y_pred, y):
    return ((y_pred - y) ** 2).mean().item()
