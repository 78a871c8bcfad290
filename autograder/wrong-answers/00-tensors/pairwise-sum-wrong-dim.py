# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# mistake: sums over the rows of B (dim=1) instead of the features
def pairwise_sq_dists(A, B):
    return ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=1)
