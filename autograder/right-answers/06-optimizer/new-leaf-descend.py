# cell: descend
# scores: descend-tests
# style: a new leaf tensor for every point, with torch.autograd.grad
def descend(f, x0, lr, num_steps):
    x = x0.detach().clone()
    path = [x]
    for _ in range(num_steps):
        point = x.clone().requires_grad_()
        (grad,) = torch.autograd.grad(f(point), point)
        x = x - lr * grad
        path.append(x)
    return torch.stack(path)
