# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: zeroes after each batch, not before: old gradients leak into the first
def per_batch_gradients(model, loss_fn, batches):
    gradients = []
    for X, y in batches:
        loss_fn(model(X), y).backward()
        gradients.append([p.grad.clone() for p in model.parameters()])
        model.zero_grad()
    return gradients
