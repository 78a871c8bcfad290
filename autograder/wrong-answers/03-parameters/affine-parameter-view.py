# cell: affine
# loses: affine-tests
# mistake: keeps a view of each nn.Parameter, a plain tensor, so nothing is registered
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels)).view(-1, 1, 1)
        self.bias = nn.Parameter(torch.zeros(num_channels)).view(-1, 1, 1)

    def forward(self, X):
        return X * self.weight + self.bias
