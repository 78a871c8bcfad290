# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: takes the log-probabilities from F.log_softmax, which the exercise rules out
def cross_entropy(logits, y, reduction="mean"):
    losses = -F.log_softmax(logits, dim=1)[torch.arange(len(y)), y]
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(reduction)
