# cell: pick
# loses: pick-tests
# mistake: the index tensors swapped: the classes index the rows
def pick(logits, y, dim=1):
    return logits[y, torch.arange(len(y))]
