# cell: linear-forward
# loses: linear-forward-tests
# mistake: a permutation that compares dims as given, wrong for a negative dim
def linear_forward(X, W, b, dim=-1):
    order = [d for d in range(X.dim()) if d != dim] + [dim]
    out = X.permute(order) @ W.T + b
    return out.permute([order.index(d) for d in range(X.dim())])
