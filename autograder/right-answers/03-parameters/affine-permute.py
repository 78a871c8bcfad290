# cell: affine
# scores: affine-tests
# style: moves the channels last, where (C,) broadcasts, and back with permute
class ChannelAffine(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, X):
        channels_last = X.permute(0, 2, 3, 1)  # (N, H, W, C)
        return (channels_last * self.weight + self.bias).permute(0, 3, 1, 2)
