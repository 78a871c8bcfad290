# cell: running-mean
# loses: running-mean-tests
# mistake: returns the mean of the current batch, not of all rows so far
class RunningMean(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.register_buffer("total", torch.zeros(num_features))
        self.register_buffer("count", torch.zeros((), dtype=torch.int64))

    def forward(self, X):
        self.total += X.detach().sum(dim=0)
        self.count += X.shape[0]
        return X.mean(dim=0)
