# cell: numerical-gradient
# scores: numerical-gradient-tests
# style: the steps are the rows of eps * identity, one f evaluation pair per row
def numerical_gradient(f, x, eps=1e-6):
    steps = eps * torch.eye(x.numel(), dtype=x.dtype)
    slopes = [
        (f(x + step.view_as(x)) - f(x - step.view_as(x))) / (2 * eps)
        for step in steps
    ]
    return torch.stack(slopes).view_as(x)
