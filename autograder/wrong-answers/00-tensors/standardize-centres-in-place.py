# cell: standardize
# loses: standardize-tests
# mistake: centres the caller's X in place (X -= mean), then returns a new tensor
def standardize(X, dim=0):
    X -= X.mean(dim=dim, keepdim=True)
    return X / X.std(dim=dim, keepdim=True)
