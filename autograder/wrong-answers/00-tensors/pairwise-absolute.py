# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# mistake: sums absolute differences (Manhattan distance) instead of squares
def pairwise_sq_dists(A, B):
    return (A[:, None, :] - B[None, :, :]).abs().sum(dim=-1)
