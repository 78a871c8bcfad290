# cell: accuracy
# loses: accuracy-tests
# mistake: argmax over dim=0, across the batch instead of the classes
def accuracy(logits, y):
    return (logits.argmax(dim=0) == y).float().mean().item()
