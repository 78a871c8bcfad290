# cell: residual-block
# loses: residual-block-tests
# mistake: shortcut += main, but nn.Identity returns X itself: the caller's X changes
class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.activation = nn.ReLU()
        self.output = nn.Linear(hidden_features, out_features)
        if in_features == out_features:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Linear(in_features, out_features, bias=False)

    def forward(self, X):
        out = self.shortcut(X)
        out += self.output(self.activation(self.hidden(X)))
        return out
