# cell: affine
# loses: affine-tests
# mistake: weight and bias are plain tensor attributes, so nothing is registered
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = torch.ones(num_channels)
        self.bias = torch.zeros(num_channels)

    def forward(self, X):
        return X * self.weight.view(-1, 1, 1) + self.bias.view(-1, 1, 1)
