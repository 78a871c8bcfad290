# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: zeroes with p.grad.zero_(), which fails on a parameter whose .grad is None
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    for p in model.parameters():
        p.grad.zero_()
    mean_loss = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) * len(X) / N
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
