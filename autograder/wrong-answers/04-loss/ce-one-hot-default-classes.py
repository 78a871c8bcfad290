# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: F.one_hot(y) without num_classes has max(y) + 1 columns, not C
def cross_entropy(logits, y, reduction="mean"):
    log_probs = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    losses = -(F.one_hot(y) * log_probs).sum(dim=1)
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(reduction)
