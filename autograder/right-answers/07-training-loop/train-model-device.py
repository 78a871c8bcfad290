# cell: train-one-epoch
# scores: train-one-epoch-tests
# style: moves the batches to the model's device, read from its parameters; non_blocking
def train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None):
    model.train()
    where = next(model.parameters()).device
    total = torch.zeros((), dtype=torch.float64)
    for inputs, labels in loader:
        inputs = inputs.to(where, non_blocking=True)
        labels = labels.to(where, non_blocking=True)
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total += loss.detach().double() * len(labels)
    return (total / len(loader.dataset)).item()
