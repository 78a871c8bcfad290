# cell: resnet-block
# scores: resnet-block-tests
# style: F.relu, the projection made first, None for the identity shortcut
from torch.nn import functional as F


class ResNetBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.project = None
        if stride > 1 or out_channels != in_channels:
            self.project = nn.Conv2d(in_channels, out_channels, 1, stride, 0,
                                     bias=False)
            self.project_norm = nn.BatchNorm2d(out_channels)
        self.conv_a = nn.Conv2d(in_channels, out_channels, 3, stride, 1,
                                bias=False)
        self.norm_a = nn.BatchNorm2d(out_channels)
        self.conv_b = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.norm_b = nn.BatchNorm2d(out_channels)

    def forward(self, X):
        out = F.relu(self.norm_a(self.conv_a(X)))
        out = self.norm_b(self.conv_b(out))
        if self.project is not None:
            X = self.project_norm(self.project(X))
        return F.relu(out + X)
