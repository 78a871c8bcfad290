# cell: numerical-gradient
# loses: numerical-gradient-tests
# mistake: nudges x in place and never puts the original value back
def numerical_gradient(f, x, eps=1e-6):
    grad = torch.zeros_like(x)
    flat = x.view(-1)
    for i in range(x.numel()):
        flat[i] += eps
        f_plus = f(x)
        flat[i] -= 2 * eps
        f_minus = f(x)
        grad.view(-1)[i] = (f_plus - f_minus) / (2 * eps)
    return grad
