# cell: pick
# loses: pick-tests
# mistake: ignores dim: gathers along dimension 1 always
def pick(logits, y, dim=1):
    return logits.gather(1, y.unsqueeze(1)).squeeze(1)
