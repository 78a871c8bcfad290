# cell: lenet
# loses: lenet-tests
# mistake: halves with round(), which rounds 6.5 to 6 but 5.5 to 6: not the floor
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
            height, width = round((height - 4) / 2), round((width - 4) / 2)
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Linear(16 * height * width, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, X):
        return self.classifier(self.flatten(self.features(X)))
