# cell: pick
# loses: pick-tests
# mistake: squeeze() without a dimension also removes a batch of one
def pick(logits, y, dim=1):
    return logits.gather(dim, y.unsqueeze(dim)).squeeze()
