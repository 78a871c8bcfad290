# cell: lenet
# loses: lenet-tests
# mistake: the tutorial's 16 * 5 * 5, right for 32x32 images only
class LeNet(nn.Module):
    def __init__(self, image_shape, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(image_shape[0], 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, X):
        X = self.pool(torch.relu(self.conv1(X)))
        X = self.pool(torch.relu(self.conv2(X)))
        X = torch.relu(self.fc1(self.flatten(X)))
        return self.fc3(torch.relu(self.fc2(X)))
