# cell: hardest-examples
# scores: hardest-examples-tests
# style: F.cross_entropy and argsort in descending order
def hardest_examples(logits, y, k):
    losses = F.cross_entropy(logits, y, reduction="none")
    return losses.argsort(descending=True)[:k]
