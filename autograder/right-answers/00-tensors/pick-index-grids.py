# cell: pick
# scores: pick-tests
# style: advanced indexing: a grid of positions for every other dimension, y at dim
def pick(logits, y, dim=1):
    grids = list(torch.meshgrid(*[torch.arange(n) for n in y.shape], indexing="ij"))
    grids.insert(dim % logits.dim(), y)
    return logits[tuple(grids)]
