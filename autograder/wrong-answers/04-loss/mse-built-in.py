# cell: mse
# loses: mse-tests
# mistake: calls F.mse_loss instead of writing the formula
def mse(y_pred, y):
    return torch.nn.functional.mse_loss(y_pred, y)
