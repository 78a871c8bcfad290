# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: concatenates the micro-batches and runs the whole batch at once
def accumulate_gradients(model, loss_fn, micro_batches):
    X = torch.cat([X for X, _ in micro_batches])
    y = torch.cat([y for _, y in micro_batches])
    model.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    return loss.item()
