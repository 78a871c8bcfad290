# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: scales each mean loss by len(X) and never divides by N
def accumulate_gradients(model, loss_fn, micro_batches):
    model.zero_grad()
    total = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) * len(X)
        loss.backward()
        total += loss.item()
    return total / sum(len(X) for X, _ in micro_batches)
