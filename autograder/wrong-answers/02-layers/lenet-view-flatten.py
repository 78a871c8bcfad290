# cell: lenet
# loses: lenet-tests
# mistake: registers nn.Flatten but flattens with the tutorial's .view(-1, n)
class LeNet(nn.Module):
    def __init__(self, image_shape, num_classes):
        super().__init__()
        channels, height, width = image_shape
        for _ in range(2):
            height, width = (height - 4) // 2, (width - 4) // 2
        self.flat = 16 * height * width
        self.conv1 = nn.Conv2d(channels, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(self.flat, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, X):
        X = torch.max_pool2d(torch.relu(self.conv1(X)), 2)
        X = torch.max_pool2d(torch.relu(self.conv2(X)), 2)
        X = torch.relu(self.fc1(X.view(-1, self.flat)))
        return self.fc3(torch.relu(self.fc2(X)))
