# cell: pixel-rows
# loses: pixel-rows-tests
# mistake: converts the result to float32 whatever the images' dtype
def pixel_rows(images):
    return images.permute(0, 2, 3, 1).reshape(-1, images.shape[1]).float()
