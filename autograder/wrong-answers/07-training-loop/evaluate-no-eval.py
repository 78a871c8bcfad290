# cell: evaluate
# loses: evaluate-tests
# mistake: forgets model.eval(), so dropout stays active during evaluation
def evaluate(model, loader, loss_fn, device):
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            total_loss += loss_fn(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            count += len(y)
    return total_loss / count, correct / count
