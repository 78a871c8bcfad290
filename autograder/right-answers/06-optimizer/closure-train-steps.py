# cell: train-steps
# scores: train-steps-tests
# style: one closure per step, handed to optimizer.step(closure), which clips too
def train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm):
    norms = []

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), max_norm)))
        return loss

    losses = [optimizer.step(closure).item() for _ in range(num_steps)]
    return losses, norms
