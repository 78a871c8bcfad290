# cell: pick
# loses: pick-tests
# mistake: the predicted class's score (the largest along dim), not y's class's
def pick(logits, y, dim=1):
    return logits.amax(dim=dim)
