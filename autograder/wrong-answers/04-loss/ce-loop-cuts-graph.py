# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: builds the per-example losses with torch.tensor([...]), cutting the graph
def cross_entropy(logits, y, reduction="mean"):
    losses = torch.tensor(
        [torch.logsumexp(logits[i], dim=0) - logits[i, y[i]] for i in range(len(y))],
        dtype=logits.dtype,
    )
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(reduction)
