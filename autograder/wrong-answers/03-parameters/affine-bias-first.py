# cell: affine
# loses: affine-tests
# mistake: shifts before it scales, (X + bias) * weight
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        return (X + self.bias.view(-1, 1, 1)) * self.weight.view(-1, 1, 1)
