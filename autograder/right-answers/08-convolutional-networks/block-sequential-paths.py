# cell: resnet-block
# scores: resnet-block-tests
# style: both paths as nn.Sequential (empty for X), ReLU modules in place
class ResNetBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1,
                      bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, 3, padding="same", bias=False),
            nn.BatchNorm2d(out_channels),
        )
        layers = []
        if (in_channels, stride) != (out_channels, 1):
            layers = [nn.Conv2d(in_channels, out_channels, 1, stride=stride,
                                bias=False), nn.BatchNorm2d(out_channels)]
        self.shortcut = nn.Sequential(*layers)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, X):
        return self.relu(self.main(X) + self.shortcut(X))
