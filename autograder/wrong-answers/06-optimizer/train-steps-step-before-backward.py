# cell: train-steps
# loses: train-steps-tests
# mistake: calls optimizer.step() before loss.backward(), with stale gradients
def train_steps(model, loss_fn, optimizer, X, y, num_steps):
    losses = []
    for _ in range(num_steps):
        loss = loss_fn(model(X), y)
        optimizer.step()
        optimizer.zero_grad()
        loss.backward()
        losses.append(loss.item())
    return losses
