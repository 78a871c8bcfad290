# cell: pick
# scores: pick-tests
# style: the lesson's logits[torch.arange(N), y] on the classes moved last and flattened
def pick(logits, y, dim=1):
    moved = logits.movedim(dim, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    return rows[torch.arange(len(rows)), y.flatten()].view(y.shape)
