# cell: affine
# loses: affine-tests
# mistake: reshapes weight.data, outside the autograd graph: no gradient for weight
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        return X * self.weight.data.view(-1, 1, 1) + self.bias.view(-1, 1, 1)
