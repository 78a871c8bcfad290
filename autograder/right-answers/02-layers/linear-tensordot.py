# cell: linear-forward
# scores: linear-forward-tests
# style: torch.tensordot contracts dim with W's inputs, which puts the outputs last
def linear_forward(X, W, b, dim=-1):
    out = torch.tensordot(X, W, dims=([dim], [1])) + b
    return out.movedim(-1, dim)
