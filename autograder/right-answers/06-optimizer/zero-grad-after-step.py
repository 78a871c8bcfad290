# cell: train-steps
# scores: train-steps-tests
# style: clears the gradients after step() instead of before the forward pass
def train_steps(model, loss_fn, optimizer, X, y, num_steps):
    losses = []
    for _ in range(num_steps):
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return losses
