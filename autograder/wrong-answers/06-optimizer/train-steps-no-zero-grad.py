# cell: train-steps
# loses: train-steps-tests
# mistake: never calls optimizer.zero_grad(), so the gradients accumulate
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        loss = loss_fn(model(X), y)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        losses.append(loss.item())
        norms.append(norm.item())
    return losses, norms
