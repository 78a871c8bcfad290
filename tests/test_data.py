"""Fashion-MNIST as the chapters load it (needs the data set; the loader's
errors without it are unit tests, in tests/unit/test_package.py)."""

from __future__ import annotations

import torch

from nncourse import data


def test_tensors_of_the_test_set(fashion_mnist_root):
    X, y = data.fashion_mnist_tensors(train=False)
    assert X.shape == (10_000, 1, 28, 28) and X.dtype == torch.float32
    assert y.shape == (10_000,) and y.dtype == torch.int64
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert torch.bincount(y).tolist() == [1000] * 10
    assert len(data.CLASS_NAMES) == 10
