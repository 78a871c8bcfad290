# cell: numerical-gradient
# loses: numerical-gradient-tests
# mistake: asks autograd for the exact gradient instead of taking differences
def numerical_gradient(f, x, eps=1e-6):
    leaf = x.detach().clone().requires_grad_()
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(f(leaf), leaf)
    return grad
