# cell: linear-backward
# loses: linear-backward-tests
# mistake: grad_W = X.T @ grad_out, the transpose of the weight's shape
def linear_backward(X, W, grad_out):
    return grad_out @ W, X.T @ grad_out, grad_out.sum(dim=0)
