# cell: affine
# loses: affine-tests
# mistake: only the weight is an nn.Parameter; the bias is a plain tensor
class Affine(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = torch.zeros(num_features)

    def forward(self, X):
        return X * self.weight + self.bias
