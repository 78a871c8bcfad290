# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# mistake: zeroes the diagonal whenever A and B have as many rows, as if B were always A
def pairwise_sq_dists(A, B):
    distances = ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=-1)
    if len(A) == len(B):
        distances.fill_diagonal_(0)
    return distances
