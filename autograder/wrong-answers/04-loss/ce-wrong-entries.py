# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: log_probs[:, y] picks an N x N block instead of one entry per row
def cross_entropy(logits, y, reduction="mean"):
    log_probs = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    losses = -log_probs[:, y]
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses
