# cell: pick
# loses: pick-tests
# mistake: one_hot puts the classes last, whatever dim the logits hold them along
import torch.nn.functional as F


def pick(logits, y, dim=1):
    mask = F.one_hot(y, logits.shape[dim]).to(logits.dtype)
    return (logits * mask).sum(dim=dim)
