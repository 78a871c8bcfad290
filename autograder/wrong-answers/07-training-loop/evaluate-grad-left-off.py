# cell: evaluate
# loses: evaluate-tests
# mistake: torch.set_grad_enabled(False), never switched back on
def evaluate(model, loader, loss_fn, device):
    model.eval()
    torch.set_grad_enabled(False)
    total_loss, correct, count = 0.0, 0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        logits = model(X)
        total_loss += loss_fn(logits, y).item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        count += len(y)
    return total_loss / count, correct / count
