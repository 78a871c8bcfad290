# cell: linear-backward
# loses: linear-backward-tests
# mistake: grad_X = grad_out @ W.T (only fits when W is square)
def linear_backward(X, W, grad_out):
    return grad_out @ W.T, grad_out.T @ X, grad_out.sum(dim=0)
