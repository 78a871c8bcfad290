# cell: pick
# scores: pick-tests
# style: torch.take_along_dim, with a negative dim made positive first
def pick(logits, y, dim=1):
    dim = dim % logits.dim()
    index = y.unsqueeze(dim)
    return torch.take_along_dim(logits, index, dim=dim).squeeze(dim)
