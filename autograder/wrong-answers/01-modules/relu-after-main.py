# cell: residual-block
# loses: residual-block-tests
# mistake: the ReLU follows the main path's last Linear layer instead of the first
class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.main = nn.Sequential(
            nn.Linear(in_features, hidden_features),
            nn.Linear(hidden_features, out_features),
            nn.ReLU(),
        )
        if in_features == out_features:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Linear(in_features, out_features, bias=False)

    def forward(self, X):
        return self.main(X) + self.shortcut(X)
