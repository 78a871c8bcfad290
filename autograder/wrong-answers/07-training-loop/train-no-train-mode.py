# cell: train-one-epoch
# loses: train-one-epoch-tests
# mistake: never calls model.train(); a model left in eval mode trains without dropout
def train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None):
    total_loss, count = 0.0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total_loss += loss.item() * len(y)
        count += len(y)
    return total_loss / count
