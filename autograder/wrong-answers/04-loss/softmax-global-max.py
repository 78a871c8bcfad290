# cell: stable-softmax
# loses: stable-softmax-tests
# mistake: subtracts the maximum of the whole tensor, not of each row
def stable_softmax(logits, dim=1):
    exps = torch.exp(logits - logits.max())
    return exps / exps.sum(dim=dim, keepdim=True)
