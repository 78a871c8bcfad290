# cell: collapse-linear
# loses: collapse-linear-tests
# mistake: keeps only the second bias, forgetting that b1 passes through W2
def collapse_linear(first, second):
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(second.weight @ first.weight)
        merged.bias.copy_(second.bias)
    return merged
