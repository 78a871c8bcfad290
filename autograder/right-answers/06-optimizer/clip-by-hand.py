# cell: train-steps
# scores: train-steps-tests
# style: the global norm and the scaling by hand, min(1, max_norm / norm)
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        norm = sum(g.pow(2).sum() for g in grads).sqrt().item()
        scale = min(1.0, max_norm / norm)
        with torch.no_grad():
            for g in grads:
                g *= scale
        optimizer.step()
        losses.append(loss.item())
        norms.append(norm)
    return losses, norms
