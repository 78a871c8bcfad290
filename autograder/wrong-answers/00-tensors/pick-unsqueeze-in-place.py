# cell: pick
# loses: pick-tests
# mistake: unsqueeze_ changes the caller's y in place
def pick(logits, y, dim=1):
    y.unsqueeze_(dim)
    return logits.gather(dim, y).squeeze(dim)
