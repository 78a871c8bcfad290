# cell: affine
# loses: affine-tests
# mistake: assumes three channels (RGB) whatever num_channels says
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(3))
        self.bias = nn.Parameter(torch.zeros(3))

    def forward(self, X):
        return X * self.weight.view(3, 1, 1) + self.bias.view(3, 1, 1)
