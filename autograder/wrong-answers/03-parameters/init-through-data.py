# cell: init-weights
# loses: init-weights-tests
# mistake: initialises through .data, hidden from autograd's version counter
def init_weights(model):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            module.weight.data.normal_(0, (2 / module.in_features) ** 0.5)
            module.bias.data.zero_()
