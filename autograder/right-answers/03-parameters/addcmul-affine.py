# cell: affine
# scores: affine-tests
# style: torch.addcmul and parameters made with ones_like/zeros_like
class Affine(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros_like(self.weight))

    def forward(self, X):
        return torch.addcmul(self.bias, X, self.weight)
