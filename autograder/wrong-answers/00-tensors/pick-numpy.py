# cell: pick
# loses: pick-tests
# mistake: NumPy's take_along_axis on detached logits cuts the autograd graph
import numpy as np


def pick(logits, y, dim=1):
    index = y.unsqueeze(dim).numpy()
    taken = np.take_along_axis(logits.detach().numpy(), index, axis=dim)
    return torch.from_numpy(taken).squeeze(dim)
