# cell: numerical-gradient
# loses: numerical-gradient-tests
# mistake: always steps by 1e-6, ignoring the eps argument
def numerical_gradient(f, x, eps=1e-6):
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step.view(-1)[i] = 1e-6
        grad.view(-1)[i] = (f(x + step) - f(x - step)) / 2e-6
    return grad
