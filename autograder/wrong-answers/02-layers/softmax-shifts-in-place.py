# cell: softmax
# loses: softmax-tests
# mistake: shifts the caller's logits in place before exp
def softmax(logits, dim):
    logits -= logits.amax(dim=dim, keepdim=True)
    exps = logits.exp()
    return exps / exps.sum(dim=dim, keepdim=True)
