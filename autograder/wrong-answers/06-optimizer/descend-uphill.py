# cell: descend
# loses: descend-tests
# mistake: adds the gradient, climbing uphill
def descend(f, x0, lr, num_steps):
    x = x0.detach().clone().requires_grad_()
    path = [x.detach().clone()]
    for _ in range(num_steps):
        f(x).backward()
        with torch.no_grad():
            x += lr * x.grad
        x.grad = None
        path.append(x.detach().clone())
    return torch.stack(path)
