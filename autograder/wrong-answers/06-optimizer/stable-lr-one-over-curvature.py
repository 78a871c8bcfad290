# cell: largest-stable-lr
# loses: largest-stable-lr-tests
# mistake: 1/h_max, the rate that removes the steepest direction in one step
def largest_stable_lr(A):
    return 1.0 / torch.linalg.eigvalsh(A).max().item()
