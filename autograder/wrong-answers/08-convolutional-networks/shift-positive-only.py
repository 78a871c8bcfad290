# cell: shift-images
# loses: shift-images-tests
# mistake: handles only shifts down and right; a negative shift slices from the end
def shift_images(X, dy, dx):
    shifted = torch.zeros_like(X)
    shifted[..., dy:, dx:] = X[..., : X.shape[-2] - dy, : X.shape[-1] - dx]
    return shifted
