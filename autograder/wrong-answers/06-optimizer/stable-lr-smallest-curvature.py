# cell: largest-stable-lr
# loses: largest-stable-lr-tests
# mistake: uses the smallest curvature instead of the largest
def largest_stable_lr(A):
    return 2.0 / torch.linalg.eigvalsh(A).min().item()
