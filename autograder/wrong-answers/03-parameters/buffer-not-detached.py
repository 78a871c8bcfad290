# cell: running-mean
# loses: running-mean-tests
# mistake: adds the batch without .detach(), so the buffer joins the autograd graph
class RunningMean(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.register_buffer("total", torch.zeros(num_features))
        self.register_buffer("count", torch.zeros((), dtype=torch.int64))

    def forward(self, X):
        self.total += X.sum(dim=0)
        self.count += X.shape[0]
        return self.total / self.count
