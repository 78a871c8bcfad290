# cell: log-softmax
# scores: log-softmax-tests
# style: a loop over the rows, stacked
def log_softmax(logits):
    rows = []
    for row in logits:
        top = row.max()
        rows.append(row - top - torch.log(torch.exp(row - top).sum()))
    return torch.stack(rows)
