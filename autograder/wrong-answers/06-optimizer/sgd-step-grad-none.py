# cell: sgd-step
# loses: sgd-step-tests
# mistake: does not skip the parameters whose .grad is None
def sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
