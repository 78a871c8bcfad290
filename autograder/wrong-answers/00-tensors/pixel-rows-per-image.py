# cell: pixel-rows
# loses: pixel-rows-tests
# mistake: one row per image instead of one row per pixel
def pixel_rows(images):
    return images.permute(0, 2, 3, 1).reshape(images.shape[0], -1)
