# cell: linear-backward
# loses: linear-backward-tests
# mistake: averages grad_out over the batch for the bias instead of summing it
def linear_backward(X, W, grad_out):
    return grad_out @ W, grad_out.T @ X, grad_out.mean(dim=0)
