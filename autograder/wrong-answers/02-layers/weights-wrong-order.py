# cell: collapse-linear
# loses: collapse-linear-tests
# mistake: multiplies the weights in the wrong order, W1 W2 instead of W2 W1
def collapse_linear(first, second):
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(first.weight @ second.weight)
        merged.bias.copy_(second.weight @ first.bias + second.bias)
    return merged
