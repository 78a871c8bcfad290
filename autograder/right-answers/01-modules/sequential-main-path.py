# cell: residual-block
# scores: residual-block-tests
# style: projection registered first, an nn.Sequential main path, += on its output
class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.project = in_features != out_features
        if self.project:
            self.projection = nn.Linear(in_features, out_features, bias=False)
        self.main = nn.Sequential(
            nn.Linear(in_features, hidden_features),
            nn.ReLU(),
            nn.Linear(hidden_features, out_features),
        )

    def forward(self, X):
        out = self.main(X)
        out += self.projection(X) if self.project else X
        return out
