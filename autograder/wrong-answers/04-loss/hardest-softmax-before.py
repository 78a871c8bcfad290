# cell: hardest-examples
# loses: hardest-examples-tests
# mistake: gives the loss softmax(logits) instead of the logits
def hardest_examples(logits, y, k):
    loss_fn = nn.CrossEntropyLoss(reduction="none")
    return loss_fn(torch.softmax(logits, dim=1), y).topk(k).indices
