# cell: init-weights
# scores: init-weights-tests
# style: a loop over model.modules() with normal_ and the He standard deviation
def init_weights(model):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            with torch.no_grad():
                module.weight.normal_(0, (2 / module.in_features) ** 0.5)
                module.bias.zero_()
