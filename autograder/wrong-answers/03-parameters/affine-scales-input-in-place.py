# cell: affine
# loses: affine-tests
# mistake: scales and shifts the caller's X in place
class Affine(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))

    def forward(self, X):
        X *= self.weight
        X += self.bias
        return X
