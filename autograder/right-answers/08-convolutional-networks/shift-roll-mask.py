# cell: shift-images
# scores: shift-images-tests
# style: torch.roll, then a mask that zeroes the rows and columns that wrapped around
def shift_images(X, dy, dx):
    height, width = X.shape[-2:]
    rows = torch.arange(height, device=X.device) - dy
    cols = torch.arange(width, device=X.device) - dx
    inside = ((rows >= 0) & (rows < height))[:, None] & ((cols >= 0) & (cols < width))
    return torch.roll(X, shifts=(dy, dx), dims=(-2, -1)) * inside
