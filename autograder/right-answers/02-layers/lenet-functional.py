# cell: lenet
# scores: lenet-tests
# style: layers as attributes, F.relu and F.max_pool2d, the sizes worked out inline
class LeNet(nn.Module):
    def __init__(self, image_shape, num_classes):
        super().__init__()
        channels, height, width = image_shape
        self.conv1 = nn.Conv2d(channels, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.flatten = nn.Flatten()
        h = ((height - 4) // 2 - 4) // 2
        w = ((width - 4) // 2 - 4) // 2
        self.fc1 = nn.Linear(16 * h * w, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, X):
        X = F.max_pool2d(F.relu(self.conv1(X)), 2)
        X = F.max_pool2d(F.relu(self.conv2(X)), 2)
        X = F.relu(self.fc1(self.flatten(X)))
        return self.fc3(F.relu(self.fc2(X)))
