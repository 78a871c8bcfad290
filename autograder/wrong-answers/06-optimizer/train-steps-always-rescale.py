# cell: train-steps
# loses: train-steps-tests
# mistake: rescales the gradients to max_norm at every step, lengthening short ones
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        norm = torch.sqrt(sum((g**2).sum() for g in grads))
        for g in grads:
            g.mul_(max_norm / norm)
        optimizer.step()
        losses.append(loss.item())
        norms.append(norm.item())
    return losses, norms
