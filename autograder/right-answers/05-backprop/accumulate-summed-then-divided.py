# cell: per-batch-gradients
# scores: per-batch-gradients-tests
# style: backward() on len(X) * loss, then .grad /= N in place under no_grad
def accumulate_gradients(model, loss_fn, micro_batches):
    model.zero_grad(set_to_none=False)
    count, summed = 0, 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) * X.shape[0]
        loss.backward()
        summed += loss.item()
        count += X.shape[0]
    with torch.no_grad():
        for p in model.parameters():
            p.grad /= count
    return summed / count
