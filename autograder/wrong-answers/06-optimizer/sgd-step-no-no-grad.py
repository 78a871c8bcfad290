# cell: sgd-step
# loses: sgd-step-tests
# mistake: updates in place without torch.no_grad(), which autograd refuses
def sgd_step(params, lr):
    for p in params:
        if p.grad is not None:
            p -= lr * p.grad
