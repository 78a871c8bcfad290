# cell: affine
# scores: affine-tests
# style: register_parameter, bias first; reshaped to (1, C, 1, 1) from X's shape
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.register_parameter("bias", nn.Parameter(torch.zeros(num_channels)))
        self.register_parameter("weight", nn.Parameter(torch.ones(num_channels)))

    def forward(self, X):
        shape = (1, X.shape[1], 1, 1)
        return torch.add(X * self.weight.reshape(shape), self.bias.reshape(shape))
