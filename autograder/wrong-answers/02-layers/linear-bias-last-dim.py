# cell: linear-forward
# loses: linear-forward-tests
# mistake: adds b after moving the outputs back: it lands on the last dimension
def linear_forward(X, W, b, dim=-1):
    return (X.movedim(dim, -1) @ W.T).movedim(-1, dim) + b
