# cell: accuracy
# loses: accuracy-tests
# mistake: returns a percentage instead of a fraction
def accuracy(logits, y):
    return 100 * (logits.argmax(dim=1) == y).float().mean().item()
