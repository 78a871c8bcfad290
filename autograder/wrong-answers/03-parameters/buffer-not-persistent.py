# cell: running-mean
# loses: running-mean-tests
# mistake: persistent=False leaves the buffers out of the state_dict
class RunningMean(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.register_buffer("total", torch.zeros(num_features), persistent=False)
        self.register_buffer(
            "count", torch.zeros((), dtype=torch.int64), persistent=False
        )

    def forward(self, X):
        self.total += X.detach().sum(dim=0)
        self.count += X.shape[0]
        return self.total / self.count
