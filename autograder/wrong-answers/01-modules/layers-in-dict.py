# cell: layer-stack
# loses: layer-stack-tests
# mistake: keeps the layers in a plain dict, which registers nothing
class LayerStack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = {str(i): layer for i, layer in enumerate(layers)}

    def forward(self, X):
        for layer in self.layers.values():
            X = layer(X)
        return X
