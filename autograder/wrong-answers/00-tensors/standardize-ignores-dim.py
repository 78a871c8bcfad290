# cell: standardize
# loses: standardize-tests
# mistake: ignores the dim argument and always standardises the columns
def standardize(X, dim=0):
    return (X - X.mean(dim=0, keepdim=True)) / X.std(dim=0, keepdim=True)
