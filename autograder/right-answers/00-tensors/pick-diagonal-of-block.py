# cell: pick
# scores: pick-tests
# style: the diagonal of the N x N block logits[:, y] (entry i is logits[i, y[i]])
def pick(logits, y):
    return logits[:, y].diagonal()
