# cell: init-weights
# loses: init-weights-tests
# mistake: loops over model.children() only, missing nested Linear layers
def init_weights(model):
    for module in model.children():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)
