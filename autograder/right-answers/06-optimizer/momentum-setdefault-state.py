# cell: momentum-sgd
# scores: momentum-sgd-tests
# style: the state read with setdefault, the update in a torch.no_grad() block
class MomentumSGD(torch.optim.Optimizer):
    def __init__(self, params, lr, momentum=0.9):
        super().__init__(params, {"lr": lr, "momentum": momentum})

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                lr, mu = group["lr"], group["momentum"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if "momentum_buffer" in state:
                        v = state["momentum_buffer"].mul_(mu).add_(p.grad)
                    else:
                        v = state.setdefault("momentum_buffer", p.grad.detach().clone())
                    p.sub_(lr * v)
        return loss
