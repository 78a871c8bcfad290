# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: ignores the loss_fn argument and always takes F.cross_entropy
def per_batch_gradients(model, loss_fn, batches):
    gradients = []
    for X, y in batches:
        model.zero_grad()
        F.cross_entropy(model(X), y).backward()
        gradients.append([p.grad.clone() for p in model.parameters()])
    return gradients
