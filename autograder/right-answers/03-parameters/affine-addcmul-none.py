# cell: affine
# scores: affine-tests
# style: ones_like/zeros_like, indexing with None for the reshape, torch.addcmul
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros_like(self.weight))

    def forward(self, X):
        return torch.addcmul(self.bias[:, None, None], X, self.weight[:, None, None])
