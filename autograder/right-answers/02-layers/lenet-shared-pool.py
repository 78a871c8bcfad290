# cell: lenet
# scores: lenet-tests
# style: one nn.MaxPool2d used twice, sizes traced over the layers' (kernel, stride)
class LeNet(nn.Module):
    def __init__(self, image_shape, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(image_shape[0], 6, kernel_size=(5, 5))
        self.conv2 = nn.Conv2d(6, 16, kernel_size=(5, 5))
        self.pool = nn.MaxPool2d(kernel_size=2)
        self.flatten = nn.Flatten()
        sizes = list(image_shape[1:])
        for kernel, stride in [(5, 1), (2, 2), (5, 1), (2, 2)]:
            sizes = [conv_output_size(s, kernel, stride) for s in sizes]
        self.fc1 = nn.Linear(16 * sizes[0] * sizes[1], 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, X):
        X = self.pool(torch.relu(self.conv1(X)))
        X = self.pool(torch.relu(self.conv2(X)))
        X = torch.relu(self.fc1(self.flatten(X)))
        return self.fc3(torch.relu(self.fc2(X)))
