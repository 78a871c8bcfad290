# cell: affine
# loses: affine-tests
# mistake: weight and bias are plain tensor attributes, so nothing is registered
class Affine(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.weight = torch.ones(num_features)
        self.bias = torch.zeros(num_features)

    def forward(self, X):
        return X * self.weight + self.bias
