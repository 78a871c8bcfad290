# cell: shift-images
# loses: shift-images-tests
# mistake: torch.roll, which wraps the pixels that leave one side around to the other
def shift_images(X, dy, dx):
    return torch.roll(X, shifts=(dy, dx), dims=(-2, -1))
