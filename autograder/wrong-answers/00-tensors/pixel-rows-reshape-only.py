# cell: pixel-rows
# loses: pixel-rows-tests
# mistake: reshapes without moving the channels last: the rows are not pixels
def pixel_rows(images):
    return images.reshape(-1, images.shape[1])
