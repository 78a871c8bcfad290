# cell: softmax
# loses: softmax-tests
# mistake: always normalises along dim=0 (the batch), ignoring the dim argument
def softmax(logits, dim):
    shifted = logits - logits.amax(dim=0, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=0, keepdim=True)
