# cell: descend
# loses: descend-tests
# mistake: appends x.detach() without a copy, so every row is the final point
def descend(f, x0, lr, num_steps):
    x = x0.detach().clone().requires_grad_()
    path = [x.detach()]
    for _ in range(num_steps):
        f(x).backward()
        with torch.no_grad():
            x -= lr * x.grad
        x.grad = None
        path.append(x.detach())
    return torch.stack(path)
