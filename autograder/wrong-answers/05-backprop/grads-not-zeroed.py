# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: never zeroes the gradients, so the second batch's are the sum of both
def per_batch_gradients(model, loss_fn, batches):
    gradients = []
    for X, y in batches:
        loss_fn(model(X), y).backward()
        gradients.append([p.grad.clone() for p in model.parameters()])
    return gradients
