# cell: init-weights
# scores: init-weights-tests
# style: nn.init.normal_ with the He std and nn.init.constant_, a loop over modules()
def init_weights(model):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, 0.0, math.sqrt(2 / module.in_features))
            nn.init.constant_(module.bias, 0.0)
