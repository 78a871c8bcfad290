# cell: affine
# loses: affine-tests
# mistake: makes the parameters of shape (C, 1, 1) instead of (C,) as the exercise asks
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels, 1, 1))
        self.bias = nn.Parameter(torch.zeros(num_channels, 1, 1))

    def forward(self, X):
        return X * self.weight + self.bias
