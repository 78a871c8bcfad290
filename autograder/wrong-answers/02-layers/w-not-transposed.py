# cell: linear-forward
# loses: linear-forward-tests
# mistake: multiplies by W instead of its transpose W.T
def linear_forward(X, W, b, dim=-1):
    return (X.movedim(dim, -1) @ W + b).movedim(-1, dim)
