# cell: shift-images
# loses: shift-images-tests
# mistake: returns X itself when there is nothing to move (dy = dx = 0)
def shift_images(X, dy, dx):
    if dy == 0 and dx == 0:
        return X
    height, width = X.shape[-2:]
    shifted = torch.zeros_like(X)
    shifted[..., max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = X[
        ..., max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
    ]
    return shifted
