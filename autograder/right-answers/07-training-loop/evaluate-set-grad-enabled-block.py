# cell: evaluate
# scores: evaluate-tests
# style: `with torch.set_grad_enabled(False):`, which restores the mode; X.size(0)
def evaluate(model, loader, loss_fn, device):
    model.eval()
    loss_sum = correct = seen = 0
    with torch.set_grad_enabled(False):
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            loss_sum += float(loss_fn(logits, y)) * X.size(0)
            correct += int((logits.argmax(dim=-1) == y).sum())
            seen += X.size(0)
    return loss_sum / seen, correct / seen
