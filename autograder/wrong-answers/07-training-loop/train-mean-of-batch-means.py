# cell: train-one-epoch
# loses: train-one-epoch-tests
# mistake: returns the mean of the batch losses, wrong when the last batch is smaller
def train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None):
    model.train()
    losses = []
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
