# cell: residual-block
# loses: residual-block-tests
# mistake: __init__ never calls super().__init__()
class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        self.hidden = nn.Linear(in_features, hidden_features)
        self.output = nn.Linear(hidden_features, out_features)
        self.projection = None
        if in_features != out_features:
            self.projection = nn.Linear(in_features, out_features, bias=False)

    def forward(self, X):
        main = self.output(torch.relu(self.hidden(X)))
        return main + (X if self.projection is None else self.projection(X))
