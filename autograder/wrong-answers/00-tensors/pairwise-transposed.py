# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# mistake: the axes the wrong way round: an (M, N) result
def pairwise_sq_dists(A, B):
    return ((A[None, :, :] - B[:, None, :]) ** 2).sum(dim=-1)
