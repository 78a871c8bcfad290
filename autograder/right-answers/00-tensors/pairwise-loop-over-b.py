# cell: pairwise-sq-dists
# scores: pairwise-sq-dists-tests
# style: a loop over the rows of B, each broadcast against all of A, stacked as columns
def pairwise_sq_dists(A, B):
    return torch.stack([((A - b) ** 2).sum(dim=1) for b in B], dim=1)
