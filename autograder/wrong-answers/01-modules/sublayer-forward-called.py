# cell: two-layer-net
# loses: two-layer-net-tests
# mistake: calls .forward() on every sublayer instead of the sublayer itself
class TwoLayerNet(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.flatten = nn.Flatten()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.activation = nn.ReLU()
        self.output = nn.Linear(hidden_features, out_features)

    def forward(self, X):
        X = self.flatten.forward(X)
        X = self.activation.forward(self.hidden.forward(X))
        return self.output.forward(X)
