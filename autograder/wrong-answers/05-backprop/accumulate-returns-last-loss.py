# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: the right gradient, but returns the last micro-batch's loss
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    model.zero_grad()
    for X, y in micro_batches:
        loss = loss_fn(model(X), y)
        (loss * len(X) / N).backward()
    return loss.item()
