# cell: stable-softmax
# scores: stable-softmax-tests
# style: the maximum from amax, taken under torch.no_grad() (a constant shift)
def stable_softmax(logits, dim=1):
    with torch.no_grad():
        top = logits.amax(dim=dim, keepdim=True)
    softmax = (logits - top).exp()  # a variable named like the built-in is fine
    return softmax / softmax.sum(dim=dim, keepdim=True)
