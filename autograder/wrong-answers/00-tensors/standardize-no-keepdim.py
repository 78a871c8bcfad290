# cell: standardize
# loses: standardize-tests
# mistake: no keepdim: fine along dim=0, an error or wrong values along dim=1
def standardize(X, dim=0):
    return (X - X.mean(dim=dim)) / X.std(dim=dim)
