# cell: pick
# scores: pick-tests
# style: gather along dim 1 instead of advanced indexing
def pick(logits, y):
    return logits.gather(1, y.unsqueeze(1)).squeeze(1)
