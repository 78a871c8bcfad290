# cell: pick
# scores: pick-tests
# style: a Python loop whose 0-dim tensors torch.stack joins, keeping the graph
def pick(logits, y):
    return torch.stack([logits[i, y[i]] for i in range(len(y))])
