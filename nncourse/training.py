"""The training and evaluation loops that chapter 07 teaches, for later chapters.

Chapter 07 has students write :func:`train_one_epoch` and :func:`evaluate` as
exercises, with the same contracts; the chapters after it import them from
here instead of carrying a copy.
"""

from __future__ import annotations

import torch


def train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None) -> float:
    """Train ``model`` for one pass over ``loader``; return the mean loss per
    sample, a float.

    Every batch is moved to ``device``; the order is forward, ``zero_grad``,
    ``backward``, ``step``, then ``scheduler.step()`` when a scheduler is given
    (a per-batch schedule such as ``OneCycleLR``). ``loss_fn`` averages over a
    batch, so each batch's loss is weighted by its size: the last batch may be
    smaller.
    """
    model.train()
    total_loss, count = 0.0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total_loss += loss.item() * len(y)
        count += len(y)
    return total_loss / count


def evaluate(model, loader, loss_fn, device) -> tuple[float, float]:
    """Return ``(mean loss per sample, accuracy)`` of ``model`` over ``loader``,
    in eval mode and without recording gradients."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            total_loss += loss_fn(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            count += len(y)
    return total_loss / count, correct / count
