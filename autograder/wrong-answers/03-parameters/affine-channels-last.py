# cell: affine
# loses: affine-tests
# mistake: computes with the channels last, (N, H, W, C), and forgets to permute back
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        return X.permute(0, 2, 3, 1) * self.weight + self.bias
