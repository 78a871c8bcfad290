# cell: largest-stable-lr
# scores: largest-stable-lr-tests
# style: the spectral norm, the largest eigenvalue of a positive-definite A
def largest_stable_lr(A):
    return 2 / torch.linalg.matrix_norm(A, ord=2).item()
