# cell: small-cnn
# scores: small-cnn-tests
# style: classifier registered first, Flatten inside it, Dropout before the ReLU
class SmallCNN(nn.Module):
    def __init__(self, width=16, num_classes=10):
        super().__init__()
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(2 * width * 7 * 7, 128),
            nn.Dropout(0.25),  # the same function: dropout's scale is positive
            nn.ReLU(),
            nn.Linear(128, num_classes),
        )
        self.block1 = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1, bias=False),
            nn.MaxPool2d(2),
            nn.BatchNorm2d(width),
            nn.ReLU(),
        )
        self.block2 = nn.Sequential(
            nn.Conv2d(width, 2 * width, 3, padding=1, bias=False),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.BatchNorm2d(2 * width),
            nn.ReLU(inplace=True),
        )

    def forward(self, X):
        return self.head(self.block2(self.block1(X)))
