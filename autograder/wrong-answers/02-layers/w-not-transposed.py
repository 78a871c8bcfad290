# cell: linear-forward
# loses: linear-forward-tests
# mistake: multiplies by W instead of its transpose W.T
def linear_forward(X, W, b):
    return X @ W + b
