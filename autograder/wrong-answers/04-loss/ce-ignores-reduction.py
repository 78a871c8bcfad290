# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: ignores the reduction argument and always returns the mean
def cross_entropy(logits, y, reduction="mean"):
    log_probs = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    return -log_probs[torch.arange(len(y)), y].mean()
