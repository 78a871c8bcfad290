# cell: stable-softmax
# loses: stable-softmax-tests
# mistake: divides by the sum of all elements instead of the sum along dim
def stable_softmax(logits, dim=1):
    exps = torch.exp(logits - logits.max(dim=dim, keepdim=True).values)
    return exps / exps.sum()
