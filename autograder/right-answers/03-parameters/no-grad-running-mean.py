# cell: running-mean
# scores: running-mean-tests
# style: updates the buffers under torch.no_grad() instead of .detach()
class RunningMean(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.register_buffer("total", torch.zeros(num_features))
        self.register_buffer("count", torch.tensor(0))

    def forward(self, X):
        with torch.no_grad():
            self.total.add_(X.sum(dim=0))
            self.count.add_(len(X))
        return self.total / self.count
