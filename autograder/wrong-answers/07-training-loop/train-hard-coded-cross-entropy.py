# cell: train-one-epoch
# loses: train-one-epoch-tests
# mistake: ignores the loss_fn argument and hard-codes F.cross_entropy
def train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None):
    model.train()
    total_loss, count = 0.0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total_loss += loss.item() * len(y)
        count += len(y)
    return total_loss / count
