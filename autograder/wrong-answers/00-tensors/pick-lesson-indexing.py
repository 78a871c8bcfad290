# cell: pick
# loses: pick-tests
# mistake: the lesson's logits[torch.arange(N), y], right only for (N, C) logits
def pick(logits, y, dim=1):
    return logits[torch.arange(len(y)), y]
