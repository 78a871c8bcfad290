# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# mistake: fills a torch.zeros result of the default dtype, float32 for float64 inputs
def pairwise_sq_dists(A, B):
    distances = torch.zeros(len(A), len(B))
    for i in range(len(A)):
        for j in range(len(B)):
            distances[i, j] = ((A[i] - B[j]) ** 2).sum()
    return distances
