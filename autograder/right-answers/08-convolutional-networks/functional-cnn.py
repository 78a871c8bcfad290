# cell: small-cnn
# scores: small-cnn-tests
# style: one attribute per layer, with F.max_pool2d and F.relu in forward
from torch.nn import functional as F


class SmallCNN(nn.Module):
    def __init__(self, width=16, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, width, 3, padding=1, bias=False)
        self.norm1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, 2 * width, 3, padding=1, bias=False)
        self.norm2 = nn.BatchNorm2d(2 * width)
        self.flatten = nn.Flatten()
        self.hidden = nn.Linear(2 * width * 7 * 7, 128)
        self.dropout = nn.Dropout(0.25)
        self.out = nn.Linear(128, num_classes)

    def forward(self, X):
        X = F.relu(self.norm1(F.max_pool2d(self.conv1(X), 2)))
        X = F.relu(self.norm2(F.max_pool2d(self.conv2(X), 2)))
        return self.out(self.dropout(F.relu(self.hidden(self.flatten(X)))))
