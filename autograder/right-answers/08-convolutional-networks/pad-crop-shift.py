# cell: shift-images
# scores: shift-images-tests
# style: F.pad with negative padding, which crops the other side
from torch.nn import functional as F


def shift_images(X, dy, dx):
    return F.pad(X, (dx, -dx, dy, -dy))
