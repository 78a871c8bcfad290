# cell: affine
# loses: affine-tests
# mistake: reshapes the parameters to (C, 1), which broadcasting pairs with the height H
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        return X * self.weight.unsqueeze(-1) + self.bias.unsqueeze(-1)
