# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: zeroes before every micro-batch: only the last part's share is left
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    mean_loss = 0.0
    for X, y in micro_batches:
        model.zero_grad()
        loss = loss_fn(model(X), y) * len(X) / N
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
