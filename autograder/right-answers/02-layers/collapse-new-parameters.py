# cell: collapse-linear
# scores: collapse-linear-tests
# style: assigns new nn.Parameter objects instead of copying under torch.no_grad()
def collapse_linear(first, second):
    merged = nn.Linear(first.in_features, second.out_features)
    W1, b1 = first.weight.detach(), first.bias.detach()
    W2, b2 = second.weight.detach(), second.bias.detach()
    merged.weight = nn.Parameter(W2 @ W1)
    merged.bias = nn.Parameter(b1 @ W2.T + b2)
    return merged
