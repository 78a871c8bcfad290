# cell: lenet
# loses: lenet-tests
# mistake: the arithmetic leaves out the second pooling: 16 * 9 * 9 for 30x30 images
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
        height = conv_output_size(conv_output_size(height, 5), 2, stride=2) - 4
        width = conv_output_size(conv_output_size(width, 5), 2, stride=2) - 4
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
