# cell: residual-block
# loses: residual-block-tests
# mistake: always adds X itself, which does not fit when the widths differ
class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.activation = nn.ReLU()
        self.output = nn.Linear(hidden_features, out_features)

    def forward(self, X):
        return self.output(self.activation(self.hidden(X))) + X
