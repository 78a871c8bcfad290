# cell: standardize
# scores: standardize-tests
# style: torch.std_mean, both statistics in one call
def standardize(X, dim=0):
    std, mean = torch.std_mean(X, dim=dim, keepdim=True)
    return (X - mean) / std
