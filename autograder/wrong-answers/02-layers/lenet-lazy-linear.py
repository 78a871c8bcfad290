# cell: lenet
# loses: lenet-tests
# mistake: nn.LazyLinear(120) finds the number on the first call instead of the formula
class LeNet(nn.Module):
    def __init__(self, image_shape, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(image_shape[0], 6, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.LazyLinear(120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, X):
        return self.classifier(self.flatten(self.features(X)))
