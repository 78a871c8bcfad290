# cell: running-mean
# loses: running-mean-tests
# mistake: total and count are plain tensor attributes, not buffers
class RunningMean(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.total = torch.zeros(num_features)
        self.count = torch.zeros((), dtype=torch.int64)

    def forward(self, X):
        self.total += X.detach().sum(dim=0)
        self.count += X.shape[0]
        return self.total / self.count
