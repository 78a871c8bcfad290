# cell: cross-entropy-backward
# loses: cross-entropy-backward-tests
# mistake: returns softmax / N without subtracting the one-hot labels
def cross_entropy_backward(logits, y):
    return torch.softmax(logits, dim=1) / logits.shape[0]
