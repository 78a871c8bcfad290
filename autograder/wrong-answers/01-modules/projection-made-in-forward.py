# cell: residual-block
# loses: residual-block-tests
# mistake: makes the projection in forward: unregistered, new weights at every call
class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.out_features = out_features
        self.hidden = nn.Linear(in_features, hidden_features)
        self.activation = nn.ReLU()
        self.output = nn.Linear(hidden_features, out_features)

    def forward(self, X):
        main = self.output(self.activation(self.hidden(X)))
        if X.shape[1] == self.out_features:
            return main + X
        projection = nn.Linear(X.shape[1], self.out_features, bias=False)
        return main + projection(X)
