# cell: two-layer-backward
# loses: two-layer-backward-tests
# mistake: dL/dlogits without the 1/N of the mean: every gradient N times too large
def two_layer_backward(X, y, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1
    H = torch.relu(Z1)
    logits = H @ W2.T + b2
    grad_logits = torch.softmax(logits, dim=1) - F.one_hot(y, logits.shape[1])
    grad_H, grad_W2, grad_b2 = linear_backward(H, W2, grad_logits)
    grad_Z1 = relu_backward(Z1, grad_H)
    _, grad_W1, grad_b1 = linear_backward(X, W1, grad_Z1)
    return grad_W1, grad_b1, grad_W2, grad_b2
