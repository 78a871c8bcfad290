# cell: log-softmax
# loses: log-softmax-tests
# mistake: subtracts the maximum of the whole batch, not of each row
def log_softmax(logits):
    shifted = logits - logits.max()
    return shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))
