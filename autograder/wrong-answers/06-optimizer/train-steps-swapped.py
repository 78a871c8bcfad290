# cell: train-steps
# loses: train-steps-tests
# mistake: returns (norms, losses) instead of (losses, norms)
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm).item())
        optimizer.step()
        losses.append(loss.item())
    return norms, losses
