# cell: two-layer-net
# loses: two-layer-net-tests
# mistake: seeds torch in __init__: every net starts alike and later randomness resets
class TwoLayerNet(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        torch.manual_seed(0)
        self.flatten = nn.Flatten()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.activation = nn.ReLU()
        self.output = nn.Linear(hidden_features, out_features)

    def forward(self, X):
        return self.output(self.activation(self.hidden(self.flatten(X))))
