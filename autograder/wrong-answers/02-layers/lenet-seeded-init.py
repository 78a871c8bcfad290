# cell: lenet
# loses: lenet-tests
# mistake: seeds torch in __init__: every LeNet starts alike and later randomness resets
class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(42)
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, 10),
        )

    def forward(self, X):
        return self.classifier(self.flatten(self.features(X)))
