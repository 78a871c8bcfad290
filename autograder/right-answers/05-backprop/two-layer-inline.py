# cell: two-layer-backward
# scores: two-layer-backward-tests
# style: everything inline with F.relu, log_softmax and torch.where, no helper functions
def two_layer_backward(X, y, W1, b1, W2, b2):
    Z1 = F.linear(X, W1, b1)
    H = F.relu(Z1)
    logits = F.linear(H, W2, b2)
    probs = F.log_softmax(logits, dim=1).exp()
    probs[torch.arange(len(y)), y] -= 1
    grad_logits = probs / len(y)
    grad_H = grad_logits @ W2
    grad_Z1 = torch.where(Z1 > 0, grad_H, torch.zeros_like(grad_H))
    return grad_Z1.T @ X, grad_Z1.sum(0), grad_logits.T @ H, grad_logits.sum(0)
