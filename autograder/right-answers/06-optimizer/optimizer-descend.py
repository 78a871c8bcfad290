# cell: descend
# scores: descend-tests
# style: lets torch.optim.SGD do each step
def descend(f, x0, lr, num_steps):
    x = x0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.SGD([x], lr=lr)
    path = [x.detach().clone()]
    for _ in range(num_steps):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
        path.append(x.detach().clone())
    return torch.stack(path)
