# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# mistake: A - B without new axes: pairs row i with row i only, an error when N != M
def pairwise_sq_dists(A, B):
    return ((A - B) ** 2).sum(dim=-1)
