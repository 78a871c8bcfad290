# cell: train-steps
# loses: train-steps-tests
# mistake: never calls optimizer.zero_grad(), so the gradients accumulate
def train_steps(model, loss_fn, optimizer, X, y, num_steps):
    losses = []
    for _ in range(num_steps):
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
