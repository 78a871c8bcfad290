# cell: train-steps
# loses: train-steps-tests
# mistake: calls optimizer.step() before loss.backward(), with stale gradients
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        loss = loss_fn(model(X), y)
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        optimizer.zero_grad()
        loss.backward()
        losses.append(loss.item())
        norms.append(norm.item())
    return losses, norms
