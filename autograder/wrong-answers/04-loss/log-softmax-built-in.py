# cell: log-softmax
# loses: log-softmax-tests
# mistake: calls F.log_softmax instead of the log-sum-exp formula
def log_softmax(logits):
    return F.log_softmax(logits, dim=1)
