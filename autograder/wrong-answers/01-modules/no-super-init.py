# cell: two-layer-net
# loses: two-layer-net-tests
# mistake: __init__ never calls super().__init__()
class TwoLayerNet(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        self.flatten = nn.Flatten()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.output = nn.Linear(hidden_features, out_features)

    def forward(self, X):
        return self.output(torch.relu(self.hidden(self.flatten(X))))
