# cell: mse
# loses: mse-tests
# mistake: forgets the square, so positive and negative errors cancel
def mse(y_pred, y):
    return (y_pred - y).mean()
