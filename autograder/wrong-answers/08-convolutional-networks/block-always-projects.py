# cell: resnet-block
# loses: resnet-block-tests
# mistake: a projection in every block, even when X already has the output's shape
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
        if True:
            self.shortcut = nn.Sequential(  # a projection to the new shape
                nn.Conv2d(in_channels, out_channels, kernel_size=1,
                          stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, X):
        main = self.norm2(self.conv2(torch.relu(self.norm1(self.conv1(X)))))
        return torch.relu(main + self.shortcut(X))
