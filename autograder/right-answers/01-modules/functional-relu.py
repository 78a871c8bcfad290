# cell: residual-block
# scores: residual-block-tests
# style: F.relu in forward; None for an identity shortcut, tested in forward
from torch.nn import functional as F


class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.output = nn.Linear(hidden_features, out_features)
        self.projection = None
        if in_features != out_features:
            self.projection = nn.Linear(in_features, out_features, bias=False)

    def forward(self, X):
        shortcut = X if self.projection is None else self.projection(X)
        return self.output(F.relu(self.hidden(X))) + shortcut
