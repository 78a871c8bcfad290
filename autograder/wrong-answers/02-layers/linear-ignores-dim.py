# cell: linear-forward
# loses: linear-forward-tests
# mistake: retypes the lesson's X @ W.T + b, which acts on the last dimension only
def linear_forward(X, W, b, dim=-1):
    return X @ W.T + b
