# cell: stable-softmax
# loses: stable-softmax-tests
# mistake: ignores the dim argument and always normalises along dim 1
def stable_softmax(logits, dim=1):
    exps = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
    return exps / exps.sum(dim=1, keepdim=True)
