# cell: train-one-epoch
# loses: train-one-epoch-tests
# mistake: optimizer.step() before loss.backward()
def train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None):
    model.train()
    total_loss, count = 0.0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        loss.backward()
        total_loss += loss.item() * len(y)
        count += len(y)
    return total_loss / count
