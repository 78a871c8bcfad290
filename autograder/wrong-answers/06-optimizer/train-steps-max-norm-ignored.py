# cell: train-steps
# loses: train-steps-tests
# mistake: clips to a fixed norm of 1.0 instead of max_norm
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
        norms.append(norm.item())
    return losses, norms
