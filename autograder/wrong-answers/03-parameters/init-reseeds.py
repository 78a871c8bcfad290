# cell: init-weights
# loses: init-weights-tests
# mistake: calls torch.manual_seed inside, so every model gets the same weights
def init_weights(model):
    torch.manual_seed(0)  # "for reproducibility"

    def init_linear(module):
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)

    model.apply(init_linear)
