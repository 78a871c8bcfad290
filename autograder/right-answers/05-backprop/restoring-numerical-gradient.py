# cell: numerical-gradient
# scores: numerical-gradient-tests
# style: the classic loop that steps x in place and puts the old value back
def numerical_gradient(f, x, eps=1e-6):
    grad = torch.zeros_like(x)
    flat, flat_grad = x.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = f(x)
        flat[i] = old - eps
        f_minus = f(x)
        flat[i] = old
        flat_grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
