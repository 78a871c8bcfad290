# cell: affine
# loses: affine-tests
# mistake: makes the parameters float64, so a float32 model would hold a float64 layer
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels, dtype=torch.float64))
        self.bias = nn.Parameter(torch.zeros(num_channels, dtype=torch.float64))

    def forward(self, X):
        return X * self.weight.view(-1, 1, 1) + self.bias.view(-1, 1, 1)
