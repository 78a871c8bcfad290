# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: switches the model to eval mode first, which changes what BatchNorm computes
def per_batch_gradients(model, loss_fn, batches):
    model.eval()
    gradients = []
    for X, y in batches:
        model.zero_grad()
        loss_fn(model(X), y).backward()
        gradients.append([p.grad.clone() for p in model.parameters()])
    return gradients
