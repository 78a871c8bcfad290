# cell: shift-images
# loses: shift-images-tests
# mistake: dy moves the columns and dx the rows
def shift_images(X, dy, dx):
    height, width = X.shape[-2:]
    shifted = torch.zeros_like(X)
    shifted[..., max(dx, 0) : height + min(dx, 0), max(dy, 0) : width + min(dy, 0)] = X[
        ..., max(-dx, 0) : height + min(-dx, 0), max(-dy, 0) : width + min(-dy, 0)
    ]
    return shifted
