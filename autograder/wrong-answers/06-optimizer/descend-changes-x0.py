# cell: descend
# loses: descend-tests
# mistake: trains x0 itself, so the caller's tensor changes
def descend(f, x0, lr, num_steps):
    x = x0.requires_grad_()
    path = [x.detach().clone()]
    for _ in range(num_steps):
        f(x).backward()
        with torch.no_grad():
            x -= lr * x.grad
        x.grad = None
        path.append(x.detach().clone())
    return torch.stack(path)
