# cell: residual-block
# loses: residual-block-tests
# mistake: calls .forward() on every sublayer instead of the sublayer itself
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
        main = self.activation.forward(self.hidden.forward(X))
        return self.output.forward(main) + self.shortcut.forward(X)
