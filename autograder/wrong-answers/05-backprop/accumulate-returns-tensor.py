# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: returns the mean loss as a tensor, not a Python float
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    model.zero_grad()
    mean_loss = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) * len(X) / N
        loss.backward()
        mean_loss += loss.detach()
    return mean_loss
