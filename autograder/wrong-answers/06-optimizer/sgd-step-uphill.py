# cell: sgd-step
# loses: sgd-step-tests
# mistake: adds the gradient instead of subtracting it
def sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p += lr * p.grad
