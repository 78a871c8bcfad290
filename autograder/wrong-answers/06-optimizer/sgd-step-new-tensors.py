# cell: sgd-step
# loses: sgd-step-tests
# mistake: p = p - lr * p.grad rebinds a name; the parameters never change
def sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p = p - lr * p.grad
