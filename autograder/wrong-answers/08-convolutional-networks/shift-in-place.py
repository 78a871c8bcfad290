# cell: shift-images
# loses: shift-images-tests
# mistake: writes the shifted images into X itself, changing the caller's batch
def shift_images(X, dy, dx):
    X[...] = torch.roll(X, shifts=(dy, dx), dims=(-2, -1))
    if dy > 0:
        X[..., :dy, :] = 0
    elif dy < 0:
        X[..., dy:, :] = 0
    if dx > 0:
        X[..., :, :dx] = 0
    elif dx < 0:
        X[..., :, dx:] = 0
    return X
