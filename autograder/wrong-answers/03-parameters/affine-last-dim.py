# cell: affine
# loses: affine-tests
# mistake: uses the (C,) parameters as they are: broadcasting meets the width W
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        return X * self.weight + self.bias
