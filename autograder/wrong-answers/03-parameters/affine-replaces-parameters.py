# cell: affine
# loses: affine-tests
# mistake: forward replaces the parameters by reshaped new ones (a call changes state)
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        self.weight = nn.Parameter(self.weight.view(-1, 1, 1))
        self.bias = nn.Parameter(self.bias.view(-1, 1, 1))
        return X * self.weight + self.bias
