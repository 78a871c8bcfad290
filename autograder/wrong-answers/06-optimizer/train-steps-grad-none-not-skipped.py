# cell: train-steps
# loses: train-steps-tests
# mistake: clips by hand over every parameter, failing on a frozen one's None .grad
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        norm = torch.cat([p.grad.flatten() for p in model.parameters()]).norm()
        if norm > max_norm:
            for p in model.parameters():
                p.grad.mul_(max_norm / norm)
        optimizer.step()
        losses.append(loss.item())
        norms.append(norm.item())
    return losses, norms
