# cell: linear-forward
# loses: linear-forward-tests
# mistake: leaves out the bias
def linear_forward(X, W, b, dim=-1):
    return (X.movedim(dim, -1) @ W.T).movedim(-1, dim)
