# cell: init-weights
# loses: init-weights-tests
# mistake: kaiming_uniform_ instead of kaiming_normal_
def init_weights(model):
    def init_linear(module):
        if isinstance(module, nn.Linear):
            nn.init.kaiming_uniform_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)

    model.apply(init_linear)
