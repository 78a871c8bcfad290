# cell: per-batch-gradients
# scores: per-batch-gradients-tests
# style: torch.autograd.grad for each batch, leaving .grad untouched
def per_batch_gradients(model, loss_fn, batches):
    parameters = list(model.parameters())
    return [
        list(torch.autograd.grad(loss_fn(model(X), y), parameters))
        for X, y in batches
    ]
