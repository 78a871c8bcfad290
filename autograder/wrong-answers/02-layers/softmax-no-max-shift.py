# cell: softmax
# loses: softmax-tests
# mistake: exp of the raw logits, which overflows to inf for large logits
def softmax(logits, dim):
    exps = logits.exp()
    return exps / exps.sum(dim=dim, keepdim=True)
