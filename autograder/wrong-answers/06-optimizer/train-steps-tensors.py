# cell: train-steps
# loses: train-steps-tests
# mistake: keeps the loss and norm tensors instead of .item()
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm))
        optimizer.step()
        losses.append(loss)
    return losses, norms
