# cell: affine
# loses: affine-tests
# mistake: tensors with requires_grad=True instead of nn.Parameter (not registered)
class Affine(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.weight = torch.ones(num_features, requires_grad=True)
        self.bias = torch.zeros(num_features, requires_grad=True)

    def forward(self, X):
        return X * self.weight + self.bias
