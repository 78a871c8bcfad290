# cell: pick
# scores: pick-tests
# style: a one-hot mask of the classes moved to dim, multiplied and summed along dim
import torch.nn.functional as F


def pick(logits, y, dim=1):
    mask = F.one_hot(y, logits.shape[dim]).movedim(-1, dim).to(logits.dtype)
    return (logits * mask).sum(dim=dim)
