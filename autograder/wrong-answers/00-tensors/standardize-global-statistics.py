# cell: standardize
# loses: standardize-tests
# mistake: one mean and std for the whole tensor instead of one per column
def standardize(X, dim=0):
    return (X - X.mean()) / X.std()
