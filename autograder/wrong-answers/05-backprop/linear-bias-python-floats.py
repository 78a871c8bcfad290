# cell: linear-backward
# loses: linear-backward-tests
# mistake: grad_b made by torch.tensor from Python floats: float32, not the dtype
def linear_backward(X, W, grad_out):
    grad_b = torch.tensor(
        [grad_out[:, j].sum().item() for j in range(grad_out.shape[1])]
    )
    return grad_out @ W, grad_out.T @ X, grad_b
