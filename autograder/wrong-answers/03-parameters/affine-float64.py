# cell: affine
# loses: affine-tests
# mistake: makes the parameters float64, so a float32 model would hold a float64 layer
class Affine(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_features, dtype=torch.float64))
        self.bias = nn.Parameter(torch.zeros(num_features, dtype=torch.float64))

    def forward(self, X):
        return X * self.weight + self.bias
