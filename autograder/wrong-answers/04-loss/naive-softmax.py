# cell: stable-softmax
# loses: stable-softmax-tests
# mistake: exp(logits) / sum without subtracting the maximum: nan for large logits
def stable_softmax(logits, dim=1):
    exps = torch.exp(logits)
    return exps / exps.sum(dim=dim, keepdim=True)
