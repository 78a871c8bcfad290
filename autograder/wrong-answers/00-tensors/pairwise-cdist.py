# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# mistake: hands the work to torch.cdist
def pairwise_sq_dists(A, B):
    return torch.cdist(A, B) ** 2
