# cell: affine
# scores: affine-tests
# style: register_parameter, bias registered first, torch.add in forward
class Affine(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.register_parameter("bias", nn.Parameter(torch.zeros(num_features)))
        self.register_parameter("weight", nn.Parameter(torch.ones(num_features)))

    def forward(self, X):
        return torch.add(self.weight * X, self.bias)
