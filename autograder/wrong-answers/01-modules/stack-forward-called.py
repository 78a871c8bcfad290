# cell: layer-stack
# loses: layer-stack-tests
# mistake: runs each layer through layer.forward(X), which skips its hooks
class LayerStack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X
