# cell: standardize
# scores: standardize-tests
# style: the unbiased standard deviation written out, with unsqueeze instead of keepdim
def standardize(X, dim=0):
    n = X.shape[dim]
    centred = X - X.mean(dim=dim).unsqueeze(dim)
    variance = (centred**2).sum(dim=dim) / (n - 1)
    return centred / variance.sqrt().unsqueeze(dim)
