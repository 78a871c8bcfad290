# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: sets loss_fn.reduction = 'sum' and leaves the caller's loss changed
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    loss_fn.reduction = "sum"
    model.zero_grad()
    total = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) / N
        loss.backward()
        total += loss.item()
    return total
