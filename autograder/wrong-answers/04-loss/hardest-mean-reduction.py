# cell: hardest-examples
# loses: hardest-examples-tests
# mistake: keeps the default mean reduction, one loss for the whole batch
def hardest_examples(logits, y, k):
    loss_fn = nn.CrossEntropyLoss()
    return loss_fn(logits, y).topk(k).indices
