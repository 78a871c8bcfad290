# cell: numerical-gradient
# loses: numerical-gradient-tests
# mistake: central differences divided by eps instead of 2 * eps
def numerical_gradient(f, x, eps=1e-6):
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step.view(-1)[i] = eps
        grad.view(-1)[i] = (f(x + step) - f(x - step)) / eps
    return grad
