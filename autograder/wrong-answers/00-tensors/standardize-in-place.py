# cell: standardize
# loses: standardize-tests
# mistake: standardises the caller's X in place and returns it
def standardize(X, dim=0):
    X -= X.mean(dim=dim, keepdim=True)
    X /= X.std(dim=dim, keepdim=True)
    return X
