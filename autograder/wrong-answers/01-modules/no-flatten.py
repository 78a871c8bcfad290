# cell: two-layer-net
# loses: two-layer-net-tests
# mistake: no nn.Flatten, so image batches of shape (N, 1, 28, 28) do not fit
class TwoLayerNet(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.output = nn.Linear(hidden_features, out_features)

    def forward(self, X):
        return self.output(torch.relu(self.hidden(X)))
