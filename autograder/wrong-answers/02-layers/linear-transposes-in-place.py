# cell: linear-forward
# loses: linear-forward-tests
# mistake: transpose_ moves the caller's X in place instead of a new view
def linear_forward(X, W, b, dim=-1):
    X.transpose_(dim, -1)
    return (X @ W.T + b).transpose(dim, -1)
