# cell: mse
# loses: mse-tests
# mistake: subtracts y from the caller's y_pred in place
def mse(y_pred, y):
    y_pred -= y
    return (y_pred**2).mean()
