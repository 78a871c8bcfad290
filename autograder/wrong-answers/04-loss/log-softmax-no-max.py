# cell: log-softmax
# loses: log-softmax-tests
# mistake: log-sum-exp without subtracting the maximum: exp overflows at 1000
def log_softmax(logits):
    return logits - torch.log(torch.exp(logits).sum(dim=1, keepdim=True))
