# cell: pick
# loses: pick-tests
# mistake: gather without squeeze: the length 1 at dim stays
def pick(logits, y, dim=1):
    return logits.gather(dim, y.unsqueeze(dim))
