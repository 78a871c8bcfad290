# cell: shift-images
# scores: shift-images-tests
# style: a loop over the output pixels, into X.new_zeros(X.shape)
def shift_images(X, dy, dx):
    height, width = X.shape[-2:]
    shifted = X.new_zeros(X.shape)
    for i in range(height):
        for j in range(width):
            if 0 <= i - dy < height and 0 <= j - dx < width:
                shifted[..., i, j] = X[..., i - dy, j - dx]
    return shifted
