# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: subtracts the log-sum-exp from the caller's logits in place
def cross_entropy(logits, y, reduction="mean"):
    logits -= torch.logsumexp(logits, dim=1, keepdim=True)
    losses = -logits[torch.arange(len(y)), y]
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses
