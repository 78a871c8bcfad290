# cell: lenet
# loses: lenet-tests
# mistake: keeps the lesson's Linear(84, 10), ignoring num_classes
class LeNet(nn.Module):
    def __init__(self, image_shape, num_classes):
        super().__init__()
        channels, height, width = image_shape
        self.features = nn.Sequential(
            nn.Conv2d(channels, 6, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        for _ in range(2):
            height, width = (height - 4) // 2, (width - 4) // 2
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Linear(16 * height * width, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, 10),
        )

    def forward(self, X):
        return self.classifier(self.flatten(self.features(X)))
