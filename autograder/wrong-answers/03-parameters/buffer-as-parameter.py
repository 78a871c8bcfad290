# cell: running-mean
# loses: running-mean-tests
# mistake: total and count held as frozen nn.Parameters instead of buffers
class RunningMean(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.total = nn.Parameter(torch.zeros(num_features), requires_grad=False)
        self.count = nn.Parameter(
            torch.zeros((), dtype=torch.int64), requires_grad=False
        )

    def forward(self, X):
        self.total += X.detach().sum(dim=0)
        self.count += X.shape[0]
        return self.total / self.count
