# cell: lenet
# loses: lenet-tests
# mistake: runs the layers on zeros in __init__ to measure the size, not the formula
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
        with torch.no_grad():
            flat = self.features(torch.zeros(1, *image_shape)).numel()
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Linear(flat, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, X):
        return self.classifier(self.flatten(self.features(X)))
