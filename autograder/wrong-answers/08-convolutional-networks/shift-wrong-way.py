# cell: shift-images
# loses: shift-images-tests
# mistake: output row i is input row i + dy, so the images move up for positive dy
def shift_images(X, dy, dx):
    height, width = X.shape[-2:]
    shifted = torch.zeros_like(X)
    shifted[
        ..., max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
    ] = X[..., max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)]
    return shifted
