# cell: hardest-examples
# loses: hardest-examples-tests
# mistake: ranks by the smallest logit of the true class instead of the loss
def hardest_examples(logits, y, k):
    true_logits = logits[torch.arange(len(y)), y]
    return (-true_logits).topk(k).indices
