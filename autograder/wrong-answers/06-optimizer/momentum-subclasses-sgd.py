# cell: momentum-sgd
# loses: momentum-sgd-tests
# mistake: subclasses torch.optim.SGD, so SGD's own step does all the work
class MomentumSGD(torch.optim.SGD):
    def __init__(self, params, lr, momentum=0.9):
        super().__init__(params, lr=lr, momentum=momentum)
