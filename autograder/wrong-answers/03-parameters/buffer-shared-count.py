# cell: running-mean
# loses: running-mean-tests
# mistake: a shared class-level count: every RunningMean adds to the same tensor
class RunningMean(nn.Module):
    shared_count = torch.zeros((), dtype=torch.int64)

    def __init__(self, num_features):
        super().__init__()
        self.register_buffer("total", torch.zeros(num_features))
        self.register_buffer("count", RunningMean.shared_count)

    def forward(self, X):
        self.total += X.detach().sum(dim=0)
        self.count += X.shape[0]
        return self.total / self.count
