# cell: stable-softmax
# loses: stable-softmax-tests
# mistake: changes the default to dim=-1, the same as dim=1 only for 2-D logits
def stable_softmax(logits, dim=-1):
    exps = torch.exp(logits - logits.max(dim=dim, keepdim=True).values)
    return exps / exps.sum(dim=dim, keepdim=True)
