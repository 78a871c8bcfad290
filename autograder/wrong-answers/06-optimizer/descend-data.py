# cell: descend
# loses: descend-tests
# mistake: updates x through x.data, which hides the change from autograd
def descend(f, x0, lr, num_steps):
    x = x0.detach().clone().requires_grad_()
    path = [x.detach().clone()]
    for _ in range(num_steps):
        f(x).backward()
        x.data -= lr * x.grad
        x.grad = None
        path.append(x.detach().clone())
    return torch.stack(path)
