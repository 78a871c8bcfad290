# cell: cross-entropy-backward
# loses: cross-entropy-backward-tests
# mistake: forgets the 1/N of the mean reduction
def cross_entropy_backward(logits, y):
    Y = F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return torch.softmax(logits, dim=1) - Y
