# cell: momentum-sgd
# loses: momentum-sgd-tests
# mistake: keeps the velocities in a dict of its own, not in self.state
class MomentumSGD(torch.optim.Optimizer):
    def __init__(self, params, lr, momentum=0.9):
        super().__init__(params, defaults={"lr": lr, "momentum": momentum})
        self.velocities = {}

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p not in self.velocities:
                    self.velocities[p] = p.grad.clone()
                else:
                    self.velocities[p].mul_(group["momentum"]).add_(p.grad)
                p.add_(self.velocities[p], alpha=-group["lr"])
        return loss
