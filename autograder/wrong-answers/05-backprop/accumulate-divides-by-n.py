# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: divides each micro-batch's mean loss by N, not by N / len(X)
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    model.zero_grad()
    mean_loss = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y)
        (loss / N).backward()
        mean_loss += loss.item() * len(X) / N
    return mean_loss
