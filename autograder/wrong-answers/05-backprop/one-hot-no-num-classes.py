# cell: cross-entropy-backward
# loses: cross-entropy-backward-tests
# mistake: F.one_hot(y) without num_classes, wrong for a batch that lacks the last class
def cross_entropy_backward(logits, y):
    N = logits.shape[0]
    Y = F.one_hot(y).to(logits.dtype)
    return (torch.softmax(logits, dim=1) - Y) / N
