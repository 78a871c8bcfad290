# cell: residual-block
# loses: residual-block-tests
# mistake: returns the main path only, without adding the shortcut
class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.output = nn.Linear(hidden_features, out_features)
        if in_features != out_features:
            self.projection = nn.Linear(in_features, out_features, bias=False)

    def forward(self, X):
        return self.output(torch.relu(self.hidden(X)))
