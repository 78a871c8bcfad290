# cell: two-layer-net
# scores: two-layer-net-tests
# style: registers the output layer first; torch.relu and reshape in forward
class TwoLayerNet(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.output = nn.Linear(hidden_features, out_features)
        self.hidden = nn.Linear(in_features, hidden_features)

    def forward(self, X):
        return self.output(torch.relu(self.hidden(X.reshape(len(X), -1))))
