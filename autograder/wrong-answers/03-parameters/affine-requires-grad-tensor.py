# cell: affine
# loses: affine-tests
# mistake: tensors with requires_grad=True instead of nn.Parameter (not registered)
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = torch.ones(num_channels, requires_grad=True)
        self.bias = torch.zeros(num_channels, requires_grad=True)

    def forward(self, X):
        return X * self.weight.view(-1, 1, 1) + self.bias.view(-1, 1, 1)
