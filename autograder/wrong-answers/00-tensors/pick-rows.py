# cell: pick
# loses: pick-tests
# mistake: logits[y] selects whole rows
def pick(logits, y, dim=1):
    return logits[y]
