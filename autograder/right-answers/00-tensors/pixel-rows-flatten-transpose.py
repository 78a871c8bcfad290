# cell: pixel-rows
# scores: pixel-rows-tests
# style: flatten the pixels first, (N, C, H*W), then transpose and reshape
def pixel_rows(images):
    return images.flatten(2).transpose(1, 2).reshape(-1, images.shape[1])
