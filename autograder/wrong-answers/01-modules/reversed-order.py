# cell: layer-stack
# loses: layer-stack-tests
# mistake: applies the layers in reverse order
class LayerStack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, X):
        for layer in reversed(self.layers):
            X = layer(X)
        return X
