# cell: linear-forward
# loses: linear-forward-tests
# mistake: moves dim last with movedim, back with transpose: the others reorder
def linear_forward(X, W, b, dim=-1):
    return (X.movedim(dim, -1) @ W.T + b).transpose(-1, dim)
