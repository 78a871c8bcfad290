# cell: linear-forward
# loses: linear-forward-tests
# mistake: W @ X + b[:, None], right for features in dimension -2 only, whatever dim is
def linear_forward(X, W, b, dim=-1):
    return W @ X + b[:, None]
