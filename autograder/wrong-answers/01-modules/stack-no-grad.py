# cell: layer-stack
# loses: layer-stack-tests
# mistake: runs the layers under torch.no_grad(), so nothing before or inside trains
class LayerStack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, X):
        with torch.no_grad():
            for layer in self.layers:
                X = layer(X)
        return X
