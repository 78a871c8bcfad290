# cell: pixel-rows
# loses: pixel-rows-tests
# mistake: view on the permuted, non-contiguous tensor
def pixel_rows(images):
    return images.permute(0, 2, 3, 1).view(-1, images.shape[1])
