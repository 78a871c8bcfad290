# cell: momentum-sgd
# scores: momentum-sgd-tests
# style: keeps the buffer with torch.zeros_like and add_, steps with sub_
class MomentumSGD(torch.optim.Optimizer):
    def __init__(self, params, lr, momentum=0.9):
        defaults = dict(lr=lr, momentum=momentum)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = closure() if closure is not None else None
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if "momentum_buffer" in state:
                        buffer = state["momentum_buffer"]
                        buffer.mul_(group["momentum"]).add_(p.grad)
                    else:
                        buffer = torch.zeros_like(p).add_(p.grad)
                        state["momentum_buffer"] = buffer
                    p.sub_(group["lr"] * buffer)
        return loss
