# cell: log-softmax
# scores: log-softmax-tests
# style: torch.logsumexp
def log_softmax(logits):
    return logits - torch.logsumexp(logits, dim=1, keepdim=True)
