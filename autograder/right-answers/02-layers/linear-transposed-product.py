# cell: linear-forward
# scores: linear-forward-tests
# style: (W @ X.T).T, one column per example, then the bias broadcast over rows
def linear_forward(X, W, b):
    return (W @ X.T).T + b.unsqueeze(0)
