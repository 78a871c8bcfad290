# cell: two-layer-backward
# loses: two-layer-backward-tests
# mistake: masks the ReLU's gradient with Z1 >= 0, passing it where Z1 is exactly 0
def two_layer_backward(X, y, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1
    H = torch.relu(Z1)
    logits = H @ W2.T + b2
    N, C = logits.shape
    grad_logits = (torch.softmax(logits, dim=1) - F.one_hot(y, C)) / N
    grad_W2 = grad_logits.T @ H
    grad_b2 = grad_logits.sum(dim=0)
    grad_Z1 = (grad_logits @ W2) * (Z1 >= 0)
    return grad_Z1.T @ X, grad_Z1.sum(dim=0), grad_W2, grad_b2
