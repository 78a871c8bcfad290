# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: never zeroes, so the old gradients stay in .grad
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    mean_loss = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) * len(X) / N
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
