# cell: resnet-block
# loses: resnet-block-tests
# mistake: the projection is a 3x3 convolution (with padding 1) instead of a 1x1
class ResNetBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3,
                               stride=stride, padding=1, bias=False)
        self.norm1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3,
                               padding=1, bias=False)
        self.norm2 = nn.BatchNorm2d(out_channels)
        self.shortcut = nn.Identity()  # X itself, when the shapes agree
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(  # a projection to the new shape
                nn.Conv2d(in_channels, out_channels, kernel_size=3,
                          stride=stride, padding=1, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, X):
        main = self.norm2(self.conv2(torch.relu(self.norm1(self.conv1(X)))))
        return torch.relu(main + self.shortcut(X))
