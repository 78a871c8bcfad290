# cell: linear-forward
# scores: linear-forward-tests
# style: torch.einsum over the features moved last, instead of @ and .T
def linear_forward(X, W, b, dim=-1):
    out = torch.einsum("...i,oi->...o", X.movedim(dim, -1), W) + b
    return out.movedim(-1, dim)
