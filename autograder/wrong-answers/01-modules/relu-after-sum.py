# cell: residual-block
# loses: residual-block-tests
# mistake: a ReLU after the sum (the first ResNet's block), which the exercise excludes
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
        main = self.output(self.activation(self.hidden(X)))
        return self.activation(main + self.shortcut(X))
