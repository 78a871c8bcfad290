# cell: layer-stack
# scores: layer-stack-tests
# style: registers the layers in an nn.Sequential and calls it
class LayerStack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.Sequential(*layers)

    def forward(self, X):
        return self.layers(X)
