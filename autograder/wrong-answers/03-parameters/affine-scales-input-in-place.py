# cell: affine
# loses: affine-tests
# mistake: scales and shifts the caller's X in place
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        X *= self.weight.view(-1, 1, 1)
        X += self.bias.view(-1, 1, 1)
        return X
