# cell: mse
# loses: mse-tests
# mistake: converts to float32, so float64 predictions lose their precision
def mse(y_pred, y):
    return ((y_pred.float() - y.float()) ** 2).mean()
