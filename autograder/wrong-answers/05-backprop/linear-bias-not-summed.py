# cell: linear-backward
# loses: linear-backward-tests
# mistake: returns grad_out itself as the bias gradient, not summed over the batch
def linear_backward(X, W, grad_out):
    return grad_out @ W, grad_out.T @ X, grad_out
