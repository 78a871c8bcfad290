# cell: hardest-examples
# loses: hardest-examples-tests
# mistake: takes the smallest losses, the easiest examples
def hardest_examples(logits, y, k):
    loss_fn = nn.CrossEntropyLoss(reduction="none")
    return loss_fn(logits, y).topk(k, largest=False).indices
