# cell: log-softmax
# loses: log-softmax-tests
# mistake: takes the log of a softmax, giving -inf where probabilities round to 0
def log_softmax(logits):
    return torch.log(torch.softmax(logits, dim=1))
