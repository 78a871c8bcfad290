# cell: layer-stack
# loses: layer-stack-tests
# mistake: the layers are kept in a plain Python list, so nothing is registered
class LayerStack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = list(layers)

    def forward(self, X):
        for layer in self.layers:
            X = layer(X)
        return X
