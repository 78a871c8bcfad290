# cell: train-steps
# scores: train-steps-tests
# style: one closure per step, handed to optimizer.step(closure)
def train_steps(model, loss_fn, optimizer, X, y, num_steps):
    def closure():
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        return loss

    return [optimizer.step(closure).item() for _ in range(num_steps)]
