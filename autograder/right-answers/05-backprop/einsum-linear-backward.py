# cell: linear-backward
# scores: linear-backward-tests
# style: torch.einsum for each gradient
def linear_backward(X, W, grad_out):
    grad_X = torch.einsum("no,oi->ni", grad_out, W)
    grad_W = torch.einsum("no,ni->oi", grad_out, X)
    return grad_X, grad_W, torch.einsum("no->o", grad_out)
