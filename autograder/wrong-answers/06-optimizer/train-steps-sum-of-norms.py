# cell: train-steps
# loses: train-steps-tests
# mistake: takes the global norm as the sum of the parameters' norms
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        norm = sum(g.norm() for g in grads)
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / norm)
        optimizer.step()
        losses.append(loss.item())
        norms.append(norm.item())
    return losses, norms
