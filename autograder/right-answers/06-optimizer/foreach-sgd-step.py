# cell: sgd-step
# scores: sgd-step-tests
# style: torch._foreach_add_ on the parameters that have a gradient
def sgd_step(params, lr):
    with torch.no_grad():
        with_grad = [p for p in params if p.grad is not None]
        torch._foreach_add_(with_grad, [p.grad for p in with_grad], alpha=-lr)
