# cell: train-steps
# loses: train-steps-tests
# mistake: ignores the loss_fn argument: cross-entropy for class labels, MSE otherwise
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    losses, norms = [], []
    for _ in range(num_steps):
        optimizer.zero_grad()
        output = model(X)
        if y.dtype == torch.long:
            loss = nn.functional.cross_entropy(output, y)
        else:
            loss = nn.functional.mse_loss(output, y)
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm).item())
        optimizer.step()
        losses.append(loss.item())
    return losses, norms
