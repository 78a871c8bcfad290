# cell: init-weights
# loses: init-weights-tests
# mistake: assigns new nn.Parameters instead of filling the existing ones in place
def init_weights(model):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            std = (2 / module.in_features) ** 0.5
            module.weight = nn.Parameter(torch.randn_like(module.weight) * std)
            module.bias = nn.Parameter(torch.zeros(module.out_features))
