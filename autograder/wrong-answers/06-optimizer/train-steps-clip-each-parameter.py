# cell: train-steps
# loses: train-steps-tests
# mistake: clips each parameter's gradient on its own, which turns the step
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        squares = 0.0
        for p in model.parameters():
            squares += nn.utils.clip_grad_norm_(p, max_norm).item() ** 2
        optimizer.step()
        losses.append(loss.item())
        norms.append(squares**0.5)
    return losses, norms
