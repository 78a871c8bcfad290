# cell: train-steps
# loses: train-steps-tests
# mistake: clips right after zero_grad(), before backward() has made any gradient
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        norms.append(norm.item())
    return losses, norms
