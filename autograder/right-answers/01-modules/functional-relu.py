# cell: two-layer-net
# scores: two-layer-net-tests
# style: F.relu and flatten in forward instead of nn.ReLU and nn.Flatten modules
class TwoLayerNet(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.output = nn.Linear(hidden_features, out_features)

    def forward(self, X):
        return self.output(F.relu(self.hidden(X.flatten(start_dim=1))))
