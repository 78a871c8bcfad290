# cell: sgd-step
# loses: sgd-step-tests
# mistake: scales p.grad by lr in place, changing the caller's gradients
def sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p.grad.mul_(lr)
                p.sub_(p.grad)
