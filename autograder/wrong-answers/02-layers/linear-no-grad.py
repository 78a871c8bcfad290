# cell: linear-forward
# loses: linear-forward-tests
# mistake: computes under torch.no_grad() like the lesson's demo cell: nothing trains
def linear_forward(X, W, b):
    with torch.no_grad():
        return X @ W.T + b
