# cell: softmax
# loses: softmax-tests
# mistake: computes in NumPy and converts back, which cuts the autograd graph
import numpy as np


def softmax(logits, dim):
    values = logits.detach().numpy()
    exps = np.exp(values - values.max(axis=dim, keepdims=True))
    return torch.from_numpy(exps / exps.sum(axis=dim, keepdims=True))
