# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: right gradient; returns the unweighted mean of the parts' losses
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    model.zero_grad()
    losses = []
    for X, y in micro_batches:
        loss = loss_fn(model(X), y)
        (loss * len(X) / N).backward()
        losses.append(loss.item())
    return sum(losses) / len(losses)
