# cell: accuracy
# scores: accuracy-tests
# style: counts the hits with sum and divides by the number of labels
def accuracy(logits, y):
    hits = (logits.argmax(dim=-1) == y).sum().item()
    return hits / y.numel()
