# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: log of a softmax: inf once the true class's probability rounds to 0
def cross_entropy(logits, y, reduction="mean"):
    probs = torch.softmax(logits, dim=1)
    losses = -torch.log(probs[torch.arange(len(y)), y])
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses
