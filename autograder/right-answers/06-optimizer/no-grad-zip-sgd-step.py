# cell: sgd-step
# scores: sgd-step-tests
# style: the decorator @torch.no_grad() and sub_ with alpha
@torch.no_grad()
def sgd_step(params, lr):
    for p in params:
        if p.grad is None:
            continue
        p.sub_(p.grad, alpha=lr)
