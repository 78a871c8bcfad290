# cell: linear-forward
# scores: linear-forward-tests
# style: the same transpose there and back, the bias reshaped to broadcast along dim
def linear_forward(X, W, b, dim=-1):
    dim = dim % X.dim()
    shape = [1] * X.dim()
    shape[dim] = -1
    out = (X.transpose(dim, -1) @ W.T).transpose(dim, -1)
    return out + b.reshape(shape)
