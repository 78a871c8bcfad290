# cell: per-batch-gradients
# loses: per-batch-gradients-tests
# mistake: divides by the number of micro-batches, as for the lesson's equal halves
def accumulate_gradients(model, loss_fn, micro_batches):
    model.zero_grad()
    mean_loss = 0.0
    for X, y in micro_batches:
        loss = loss_fn(model(X), y) / len(micro_batches)
        loss.backward()
        mean_loss += loss.item()
    return mean_loss
