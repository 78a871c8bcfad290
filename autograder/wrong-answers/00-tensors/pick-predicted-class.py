# cell: pick
# loses: pick-tests
# mistake: the predicted class's score (the row's maximum), not the true class's
def pick(logits, y):
    return logits.max(dim=1).values
