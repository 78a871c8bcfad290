# cell: sgd-step
# loses: sgd-step-tests
# mistake: updates through p.data, hidden from autograd's version counter
def sgd_step(params, lr):
    for p in params:
        if p.grad is not None:
            p.data -= lr * p.grad
