# cell: two-layer-net
# loses: two-layer-net-tests
# mistake: a ReLU after the last Linear layer clips the logits at zero
class TwoLayerNet(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(),
            nn.Linear(in_features, hidden_features),
            nn.ReLU(),
            nn.Linear(hidden_features, out_features),
            nn.ReLU(),
        )

    def forward(self, X):
        return self.layers(X)
