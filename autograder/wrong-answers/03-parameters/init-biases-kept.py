# cell: init-weights
# loses: init-weights-tests
# mistake: re-initialises the weights but leaves the default random biases
def init_weights(model):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
