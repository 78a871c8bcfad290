# cell: mse
# loses: mse-tests
# mistake: sums the squared errors instead of averaging them
def mse(y_pred, y):
    return ((y_pred - y) ** 2).sum()
