# cell: pick
# loses: pick-tests
# mistake: gather without squeeze: shape (N, 1)
def pick(logits, y):
    return logits.gather(1, y[:, None])
