# cell: evaluate
# loses: evaluate-tests
# mistake: averages the batch means, wrong when the last batch is smaller
def evaluate(model, loader, loss_fn, device):
    model.eval()
    losses, accuracies = [], []
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            losses.append(loss_fn(logits, y).item())
            accuracies.append((logits.argmax(dim=1) == y).float().mean().item())
    return sum(losses) / len(losses), sum(accuracies) / len(accuracies)
