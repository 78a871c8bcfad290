# cell: linear-forward
# loses: linear-forward-tests
# mistake: leaves out the bias
def linear_forward(X, W, b):
    return X @ W.T
