# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: multiplies by a one-hot target, then averages over all N * C entries
def cross_entropy(logits, y, reduction="mean"):
    log_probs = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    products = -F.one_hot(y, logits.shape[1]) * log_probs
    if reduction == "mean":
        return products.mean()
    if reduction == "sum":
        return products.sum()
    return products.sum(dim=1)
