# cell: cross-entropy-backward
# loses: cross-entropy-backward-tests
# mistake: softmax as exp / sum without the row maximum: exp overflows
def cross_entropy_backward(logits, y):
    N, C = logits.shape
    exps = torch.exp(logits)
    probs = exps / exps.sum(dim=1, keepdim=True)
    return (probs - F.one_hot(y, C).to(logits.dtype)) / N
