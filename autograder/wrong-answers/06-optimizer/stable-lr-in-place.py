# cell: largest-stable-lr
# loses: largest-stable-lr-tests
# mistake: scales the caller's A in place while computing
def largest_stable_lr(A):
    A /= 2
    return 1.0 / torch.linalg.eigvalsh(A).max().item()
