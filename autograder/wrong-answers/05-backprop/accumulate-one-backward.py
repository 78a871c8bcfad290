# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: sums the scaled losses, one backward() at the end: all graphs alive
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    model.zero_grad()
    total = 0
    for X, y in micro_batches:
        total = total + loss_fn(model(X), y) * len(X) / N
    total.backward()
    return total.item()
