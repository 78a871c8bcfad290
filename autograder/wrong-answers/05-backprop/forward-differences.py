# cell: numerical-gradient
# loses: numerical-gradient-tests
# mistake: forward differences (f(x + eps) - f(x)) / eps instead of central ones
def numerical_gradient(f, x, eps=1e-6):
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step.view(-1)[i] = eps
        grad.view(-1)[i] = (f(x + step) - f(x)) / eps
    return grad
