# cell: train-one-epoch
# scores: train-one-epoch-tests
# style: zero_grad after step (the other correct order) and the dataset's size
def train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None):
    model.train()
    optimizer.zero_grad()
    total = 0.0
    for X, y in loader:
        X = X.to(device)
        y = y.to(device)
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        optimizer.zero_grad()
        total += loss.item() * len(X)
    return total / len(loader.dataset)
