# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: applies a softmax to the logits before the cross-entropy
def cross_entropy(logits, y, reduction="mean"):
    probs = torch.softmax(logits, dim=1)
    log_probs = probs - torch.logsumexp(probs, dim=1, keepdim=True)
    losses = -log_probs[torch.arange(len(y)), y]
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses
