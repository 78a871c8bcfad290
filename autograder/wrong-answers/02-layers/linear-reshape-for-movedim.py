# cell: linear-forward
# loses: linear-forward-tests
# mistake: reshape, not movedim, to bring the features last: values scrambled
def linear_forward(X, W, b, dim=-1):
    shape = list(X.shape)
    features = shape.pop(dim)
    out = X.reshape(*shape, features) @ W.T + b
    return out.movedim(-1, dim)
