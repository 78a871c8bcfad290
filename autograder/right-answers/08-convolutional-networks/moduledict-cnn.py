# cell: small-cnn
# scores: small-cnn-tests
# style: ModuleDict blocks in a loop, with Tensor.relu
class SmallCNN(nn.Module):
    def __init__(self, width=16, num_classes=10):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.ModuleDict(
                {
                    "conv": nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
                    "pool": nn.MaxPool2d(2),
                    "norm": nn.BatchNorm2d(c_out),
                }
            )
            for c_in, c_out in [(1, width), (width, 2 * width)]
        )
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Linear(2 * width * 7 * 7, 128),
            nn.ReLU(),
            nn.Dropout(0.25),
            nn.Linear(128, num_classes),
        )

    def forward(self, X):
        for block in self.blocks:
            X = block["norm"](block["pool"](block["conv"](X))).relu()
        return self.classifier(self.flatten(X))
