# cell: affine
# loses: affine-tests
# mistake: reshapes the weight to (C, 1, 1) but adds the bias as it is, along the width
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        return X * self.weight[:, None, None] + self.bias
