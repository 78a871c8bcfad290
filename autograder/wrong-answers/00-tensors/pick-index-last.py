# cell: pick
# loses: pick-tests
# mistake: the index's length 1 put last, y.unsqueeze(-1), instead of at dim
def pick(logits, y, dim=1):
    return logits.gather(dim, y.unsqueeze(-1)).squeeze(-1)
