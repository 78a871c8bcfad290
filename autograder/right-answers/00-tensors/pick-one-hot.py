# cell: pick
# scores: pick-tests
# style: a one-hot mask of the classes, multiplied and summed over each row
def pick(logits, y):
    mask = torch.nn.functional.one_hot(y, logits.shape[1]).to(logits.dtype)
    return (logits * mask).sum(dim=1)
