# cell: per-batch-gradients
# scores: per-batch-gradients-tests
# style: torch.autograd.grad per micro-batch, shares summed, written to .grad
def accumulate_gradients(model, loss_fn, micro_batches):
    params = list(model.parameters())
    N = sum(X.shape[0] for X, _ in micro_batches)
    totals = [torch.zeros_like(p) for p in params]
    mean_loss = 0.0
    for X, y in micro_batches:
        share = len(y) / N
        loss = loss_fn(model(X), y)
        grads = torch.autograd.grad(loss, params)
        totals = [t + share * g for t, g in zip(totals, grads, strict=True)]
        mean_loss += share * loss.item()
    for p, t in zip(params, totals, strict=True):
        p.grad = t
    return mean_loss
