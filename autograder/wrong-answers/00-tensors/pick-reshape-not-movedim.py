# cell: pick
# loses: pick-tests
# mistake: reshape(-1, C) without moving the classes last first: rows mix positions
def pick(logits, y, dim=1):
    rows = logits.reshape(-1, logits.shape[dim])
    return rows[torch.arange(len(rows)), y.reshape(-1)].reshape(y.shape)
