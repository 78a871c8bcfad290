# cell: softmax
# scores: softmax-tests
# style: moves dim last, normalises the last dimension, moves it back
def softmax(logits, dim):
    last = logits.movedim(dim, -1)
    exps = torch.exp(last - last.max(dim=-1, keepdim=True).values)
    return (exps / exps.sum(dim=-1, keepdim=True)).movedim(-1, dim)
