# cell: train-one-epoch
# scores: train-one-epoch-tests
# style: model.zero_grad() before the forward pass instead of optimizer.zero_grad()
def train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None):
    model.train()
    losses, sizes = [], []
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        model.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        if scheduler:
            scheduler.step()
        losses.append(loss.item())
        sizes.append(y.shape[0])
    return sum(a * n for a, n in zip(losses, sizes, strict=True)) / sum(sizes)
