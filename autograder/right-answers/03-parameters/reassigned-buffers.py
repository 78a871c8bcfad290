# cell: running-mean
# scores: running-mean-tests
# style: buffers reassigned out of place (nn.Module keeps them registered), len(X)
class RunningMean(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.register_buffer("total", torch.zeros(num_features, dtype=torch.float32))
        self.register_buffer("count", torch.tensor(0, dtype=torch.int64))

    def forward(self, X):
        self.total = self.total + X.detach().sum(dim=0)
        self.count = self.count + len(X)
        return self.total / self.count
