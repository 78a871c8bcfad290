# cell: init-weights
# loses: init-weights-tests
# mistake: fan_out mode, so the variance is 2 / out_features
def init_weights(model):
    def init_linear(module):
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, mode="fan_out",
                                    nonlinearity="relu")
            nn.init.zeros_(module.bias)

    model.apply(init_linear)
