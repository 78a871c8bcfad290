# cell: linear-forward
# loses: linear-forward-tests
# mistake: computes under torch.no_grad() like the lesson's demo cell: nothing trains
def linear_forward(X, W, b, dim=-1):
    with torch.no_grad():
        return (X.movedim(dim, -1) @ W.T + b).movedim(-1, dim)
