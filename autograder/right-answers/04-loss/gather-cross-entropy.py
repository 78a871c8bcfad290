# cell: cross-entropy
# scores: cross-entropy-tests
# style: log-softmax by hand and gather instead of advanced indexing
def cross_entropy(logits, y, reduction="mean"):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    losses = -log_probs.gather(1, y.unsqueeze(1)).squeeze(1)
    reduce = {"mean": torch.mean, "sum": torch.sum, "none": lambda t: t}
    if reduction not in reduce:
        raise ValueError(reduction)
    return reduce[reduction](losses)
