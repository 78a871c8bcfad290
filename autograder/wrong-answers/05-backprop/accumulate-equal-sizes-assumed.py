# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: N as the number of micro-batches times the first one's size
def accumulate_gradients(model, loss_fn, micro_batches):
    N = len(micro_batches) * len(micro_batches[0][0])
    model.zero_grad()
    mean_loss = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) * len(X) / N
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
