# cell: train-steps
# loses: train-steps-tests
# mistake: ignores the loss_fn argument: cross-entropy for class labels, MSE otherwise
def train_steps(model, loss_fn, optimizer, X, y, num_steps):
    losses = []
    for _ in range(num_steps):
        optimizer.zero_grad()
        output = model(X)
        if y.dtype == torch.long:
            loss = nn.functional.cross_entropy(output, y)
        else:
            loss = nn.functional.mse_loss(output, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
