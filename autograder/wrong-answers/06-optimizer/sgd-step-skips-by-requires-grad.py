# cell: sgd-step
# loses: sgd-step-tests
# mistake: skips by p.requires_grad instead of p.grad is None
def sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            if p.requires_grad:
                p -= lr * p.grad
