# cell: lenet
# loses: lenet-tests
# mistake: tanh activations (as in the 1998 LeNet-5) instead of the asked-for ReLU
class LeNet(nn.Module):
    def __init__(self, image_shape, num_classes):
        super().__init__()
        channels, height, width = image_shape
        flat = 16 * (((height - 4) // 2 - 4) // 2) * (((width - 4) // 2 - 4) // 2)
        self.layers = nn.Sequential(
            nn.Conv2d(channels, 6, 5),
            nn.Tanh(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5),
            nn.Tanh(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(flat, 120),
            nn.Tanh(),
            nn.Linear(120, 84),
            nn.Tanh(),
            nn.Linear(84, num_classes),
        )

    def forward(self, X):
        return self.layers(X)
