# cell: lenet
# loses: lenet-tests
# mistake: registers nn.Flatten but flattens with the tutorial's .view(-1, 16 * 5 * 5)
class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, X):
        X = torch.max_pool2d(torch.relu(self.conv1(X)), 2)
        X = torch.max_pool2d(torch.relu(self.conv2(X)), 2)
        X = torch.relu(self.fc1(X.view(-1, 16 * 5 * 5)))
        return self.fc3(torch.relu(self.fc2(X)))
