# cell: train-steps
# loses: train-steps-tests
# mistake: keeps the loss tensors (and their graphs) instead of loss.item()
def train_steps(model, loss_fn, optimizer, X, y, num_steps):
    losses = []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss)
    return losses
