# cell: linear-forward
# loses: linear-forward-tests
# mistake: calls the built-in F.linear that the exercise asks to write by hand
def linear_forward(X, W, b, dim=-1):
    return F.linear(X.movedim(dim, -1), W, b).movedim(-1, dim)
