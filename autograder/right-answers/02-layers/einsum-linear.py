# cell: linear-forward
# scores: linear-forward-tests
# style: torch.einsum instead of @ and .T
def linear_forward(X, W, b):
    return torch.einsum("ni,oi->no", X, W) + b
