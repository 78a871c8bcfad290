# cell: stable-softmax
# loses: stable-softmax-tests
# mistake: calls torch.softmax, which is stable but is what the exercise asks to write
def stable_softmax(logits, dim=1):
    return torch.softmax(logits, dim=dim)
