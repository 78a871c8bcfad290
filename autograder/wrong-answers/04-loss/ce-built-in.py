# cell: cross-entropy
# loses: cross-entropy-tests
# mistake: hands the work to F.cross_entropy
def cross_entropy(logits, y, reduction="mean"):
    return F.cross_entropy(logits, y, reduction=reduction)
