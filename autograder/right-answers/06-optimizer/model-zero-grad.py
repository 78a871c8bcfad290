# cell: train-steps
# scores: train-steps-tests
# style: clears the gradients with model.zero_grad() instead of the optimizer's
def train_steps(model, loss_fn, optimizer, X, y, num_steps):
    losses = []
    for _ in range(num_steps):
        model.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
