# cell: lenet
# scores: lenet-tests
# style: layers as attributes, one nn.MaxPool2d module used twice, torch.relu
class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=(5, 5), padding=(2, 2))
        self.conv2 = nn.Conv2d(6, 16, kernel_size=(5, 5))
        self.pool = nn.MaxPool2d(kernel_size=2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, X):
        X = self.pool(torch.relu(self.conv1(X)))
        X = self.pool(torch.relu(self.conv2(X)))
        X = torch.relu(self.fc1(self.flatten(X)))
        return self.fc3(torch.relu(self.fc2(X)))
