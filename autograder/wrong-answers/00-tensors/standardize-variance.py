# cell: standardize
# loses: standardize-tests
# mistake: divides by the variance instead of the standard deviation
def standardize(X, dim=0):
    return (X - X.mean(dim=dim, keepdim=True)) / X.var(dim=dim, keepdim=True)
