# cell: pixel-rows
# loses: pixel-rows-tests
# mistake: transpose(1, 3) gives (N, W, H, C): the pixels column after column
def pixel_rows(images):
    return images.transpose(1, 3).reshape(-1, images.shape[1])
