# cell: pairwise-sq-dists
# scores: pairwise-sq-dists-tests
# style: |a|^2 - 2 a.b + |b|^2 with a matrix product (no (N, M, D) intermediate)
def pairwise_sq_dists(A, B):
    A_norms = (A**2).sum(dim=1, keepdim=True)  # (N, 1)
    B_norms = (B**2).sum(dim=1)  # (M,)
    return (A_norms - 2 * A @ B.T + B_norms).clamp_min(0)
