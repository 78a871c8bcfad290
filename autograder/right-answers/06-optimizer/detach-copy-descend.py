# cell: descend
# scores: descend-tests
# style: a preallocated path filled row by row, and x.grad.zero_() after each update
def descend(f, x0, lr, num_steps):
    path = torch.empty(num_steps + 1, 2)
    x = x0.detach().clone().requires_grad_()
    path[0] = x.detach()
    for k in range(1, num_steps + 1):
        f(x).backward()
        with torch.no_grad():
            x.sub_(lr * x.grad)
        x.grad.zero_()
        path[k] = x.detach()
    return path
