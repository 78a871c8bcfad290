# cell: linear-forward
# loses: linear-forward-tests
# mistake: calls the built-in F.linear that the exercise asks to write by hand
def linear_forward(X, W, b):
    return torch.nn.functional.linear(X, W, b)
