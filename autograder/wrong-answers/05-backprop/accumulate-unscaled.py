# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: adds up the micro-batches' mean losses unscaled
def accumulate_gradients(model, loss_fn, micro_batches):
    model.zero_grad()
    total = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y)
        loss.backward()
        total += loss.item() * len(X)
    return total / sum(len(X) for X, _ in micro_batches)
