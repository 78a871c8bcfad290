# cell: shift-images
# loses: shift-images-tests
# mistake: torch.zeros(X.shape, dtype=X.dtype): dtype kept, device not (CPU)
def shift_images(X, dy, dx):
    height, width = X.shape[-2:]
    shifted = torch.zeros(X.shape, dtype=X.dtype)
    shifted[..., max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = X[
        ..., max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
    ]
    return shifted
