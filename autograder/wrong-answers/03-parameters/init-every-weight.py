# cell: init-weights
# loses: init-weights-tests
# mistake: re-initialises every module with a weight, convolutions included
def init_weights(model):
    def init_any(module):
        if getattr(module, "weight", None) is not None:
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)

    model.apply(init_any)
