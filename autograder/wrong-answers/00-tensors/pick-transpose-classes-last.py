# cell: pick
# loses: pick-tests
# mistake: transpose(dim, -1) for movedim(dim, -1): the positions in another order
def pick(logits, y, dim=1):
    moved = logits.transpose(dim, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    return rows[torch.arange(len(rows)), y.reshape(-1)].reshape(y.shape)
