# cell: two-layer-backward
# loses: two-layer-backward-tests
# mistake: uses the pre-activation Z1 instead of A1 = relu(Z1) for grad_W2
def two_layer_backward(X, y, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1
    logits = torch.relu(Z1) @ W2.T + b2
    N, C = logits.shape
    grad_logits = (torch.softmax(logits, dim=1) - F.one_hot(y, C)) / N
    grad_W2 = grad_logits.T @ Z1
    grad_b2 = grad_logits.sum(dim=0)
    grad_Z1 = (grad_logits @ W2) * (Z1 > 0)
    return grad_Z1.T @ X, grad_Z1.sum(dim=0), grad_W2, grad_b2
