# cell: pick
# loses: pick-tests
# mistake: logits[:, y]: all rows of the listed columns, an N x N block
def pick(logits, y, dim=1):
    return logits[:, y]
