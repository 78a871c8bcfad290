# cell: cross-entropy-backward
# loses: cross-entropy-backward-tests
# mistake: softmax over dim=0, the batch, instead of the classes
def cross_entropy_backward(logits, y):
    N, C = logits.shape
    Y = F.one_hot(y, C).to(logits.dtype)
    return (torch.softmax(logits, dim=0) - Y) / N
