# cell: largest-stable-lr
# loses: largest-stable-lr-tests
# mistake: scales the caller's H in place while computing
def largest_stable_lr(H):
    H /= 2
    return 1.0 / torch.linalg.eigvalsh(H).max().item()
