# cell: standardize
# loses: standardize-tests
# mistake: the biased standard deviation (correction=0) instead of std's default
def standardize(X, dim=0):
    mean = X.mean(dim=dim, keepdim=True)
    return (X - mean) / X.std(dim=dim, correction=0, keepdim=True)
