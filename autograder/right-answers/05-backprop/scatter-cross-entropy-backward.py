# cell: cross-entropy-backward
# scores: cross-entropy-backward-tests
# style: softmax written out, one-hot built with scatter_ on a new tensor
def cross_entropy_backward(logits, y):
    exps = (logits - logits.amax(dim=1, keepdim=True)).exp()
    probs = exps / exps.sum(dim=1, keepdim=True)
    one_hot = torch.zeros_like(logits).scatter_(1, y.unsqueeze(1), 1.0)
    return (probs - one_hot) / len(y)
