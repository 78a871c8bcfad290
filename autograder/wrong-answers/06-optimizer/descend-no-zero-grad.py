# cell: descend
# loses: descend-tests
# mistake: never clears x.grad, so the gradients of all steps add up
def descend(f, x0, lr, num_steps):
    x = x0.detach().clone().requires_grad_()
    path = [x.detach().clone()]
    for _ in range(num_steps):
        f(x).backward()
        with torch.no_grad():
            x -= lr * x.grad
        path.append(x.detach().clone())
    return torch.stack(path)
