# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: calls model.train() first, which changes what BatchNorm computes
def accumulate_gradients(model, loss_fn, micro_batches):
    model.train()
    N = sum(len(X) for X, _ in micro_batches)
    model.zero_grad()
    mean_loss = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) * len(X) / N
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
