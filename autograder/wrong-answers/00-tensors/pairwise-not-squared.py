# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# mistake: returns the distances, not their squares
def pairwise_sq_dists(A, B):
    return ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=-1).sqrt()
