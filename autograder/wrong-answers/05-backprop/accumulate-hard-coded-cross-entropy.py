# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: ignores the loss_fn argument and always takes F.cross_entropy
def accumulate_gradients(model, loss_fn, micro_batches):
    N = sum(len(X) for X, _ in micro_batches)
    model.zero_grad()
    mean_loss = 0.0
    for X, y in micro_batches:
        loss = F.cross_entropy(model(X), y) * len(X) / N
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
