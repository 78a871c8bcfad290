# cell: evaluate
# scores: evaluate-tests
# style: torch.inference_mode(), X.shape[0] and len(loader.dataset) for the count
def evaluate(model, loader, loss_fn, device):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.inference_mode():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            total_loss += loss_fn(logits, y).item() * X.shape[0]
            correct += int((logits.argmax(1) == y).sum())
    count = len(loader.dataset)
    return total_loss / count, correct / count
