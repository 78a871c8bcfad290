# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: zeroes .grad in place and keeps references to it instead of copies
def per_batch_gradients(model, loss_fn, batches):
    gradients = []
    for X, y in batches:
        model.zero_grad(set_to_none=False)
        loss_fn(model(X), y).backward()
        gradients.append([p.grad for p in model.parameters()])
    return gradients
