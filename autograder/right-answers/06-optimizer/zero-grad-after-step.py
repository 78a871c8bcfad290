# cell: train-steps
# scores: train-steps-tests
# style: clears after step(); clips the optimizer's parameters; a tuple per step
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    params = [p for group in optimizer.param_groups for p in group["params"]]
    steps = []
    for _ in range(num_steps):
        loss = loss_fn(model(X), y)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm=max_norm)
        optimizer.step()
        optimizer.zero_grad()
        steps.append((loss.item(), norm.item()))
    losses, norms = (list(values) for values in zip(*steps, strict=True))
    return losses, norms
