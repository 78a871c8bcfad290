# cell: softmax
# loses: softmax-tests
# mistake: sums without keepdim=True, so the division broadcasts wrongly
def softmax(logits, dim):
    exps = (logits - logits.amax(dim=dim, keepdim=True)).exp()
    return exps / exps.sum(dim=dim)
