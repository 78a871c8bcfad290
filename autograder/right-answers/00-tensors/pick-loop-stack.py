# cell: pick
# scores: pick-tests
# style: the classes moved last, a loop over the rows joined by torch.stack
def pick(logits, y, dim=1):
    moved = logits.movedim(dim, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    picked = [row[c] for row, c in zip(rows, y.reshape(-1), strict=True)]
    return torch.stack(picked).reshape(y.shape)
