# cell: pick
# loses: pick-tests
# mistake: rebuilds a tensor from .item() numbers, which cuts the autograd graph
def pick(logits, y):
    values = [logits[i, y[i]].item() for i in range(len(y))]
    return torch.tensor(values, dtype=logits.dtype)
