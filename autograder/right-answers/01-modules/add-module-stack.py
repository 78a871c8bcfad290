# cell: layer-stack
# scores: layer-stack-tests
# style: registers each layer with add_module and looks them up by name
class LayerStack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.count = len(layers)
        for index, layer in enumerate(layers):
            self.add_module(f"layer{index}", layer)

    def forward(self, X):
        for index in range(self.count):
            X = self.get_submodule(f"layer{index}")(X)
        return X
