# cell: cross-entropy
# scores: cross-entropy-tests
# style: reuses the log_softmax of exercise 3 and a dict of reductions
def cross_entropy(logits, y, reduction="mean"):
    losses = -log_softmax(logits)[torch.arange(len(y)), y]
    reductions = {"mean": losses.mean, "sum": losses.sum, "none": lambda: losses}
    if reduction not in reductions:
        raise ValueError(f"reduction must be mean, sum or none, not {reduction!r}")
    return reductions[reduction]()
