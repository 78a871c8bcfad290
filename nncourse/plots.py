"""Figures that more than one chapter draws.

Each function draws one idea on a Matplotlib figure and returns the figure, so a
notebook can show it (the last expression of a cell) or save it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from torch import nn

from nncourse.data import CLASS_NAMES


def show_images(
    images: torch.Tensor,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    size: float = 1.4,
) -> Figure:
    """Show a batch of grey images of shape ``(N, 1, H, W)`` or ``(N, H, W)``."""
    images = images.detach().cpu()
    if images.dim() == 4:
        images = images[:, 0]
    n = images.shape[0]
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(ncols * size, nrows * size * 1.15), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap="gray_r")
            if titles is not None:
                ax.set_title(titles[i], fontsize=8)
    fig.tight_layout()
    return fig


def show_predictions(
    images: torch.Tensor,
    probs: torch.Tensor,
    labels: torch.Tensor,
    class_names: Sequence[str] = CLASS_NAMES,
) -> Figure:
    """One row per image: the image, then a bar chart of the predicted
    probability of every class, with the true class in a second colour."""
    images, probs = images.detach().cpu(), probs.detach().cpu()
    n = images.shape[0]
    fig, axes = plt.subplots(
        n, 2, figsize=(7, 1.5 * n), gridspec_kw={"width_ratios": [1, 4]}, squeeze=False
    )
    positions = range(len(class_names))
    for row in range(n):
        image_ax, bar_ax = axes[row]
        image_ax.imshow(images[row].squeeze(0), cmap="gray_r")
        image_ax.axis("off")
        colours = ["C0"] * len(class_names)
        colours[int(labels[row])] = "C1"
        bar_ax.bar(positions, probs[row], color=colours)
        bar_ax.set_ylim(0, 1)
        bar_ax.set_ylabel("probability", fontsize=8)
        bar_ax.set_xticks(list(positions))
        bar_ax.set_xticklabels(
            class_names if row == n - 1 else [""] * len(class_names),
            rotation=45,
            ha="right",
            fontsize=8,
        )
    axes[0, 1].set_title("predicted probabilities (orange: the true class)", fontsize=9)
    fig.tight_layout()
    return fig


def _module_label(name: str, module: nn.Module) -> str:
    count = sum(p.numel() for p in module.parameters(recurse=False))
    own = f"\n{count:,} parameters" if count else ""
    title = f"{name}: " if name else ""
    return f"{title}{type(module).__name__}{own}"


def plot_module_tree(model: nn.Module, title: str | None = None) -> Figure:
    """Draw the tree of submodules that ``model`` has registered.

    Each box is a module, labelled with its attribute name, class and the
    number of parameters it holds itself; lines join a module to its children.
    A layer kept in a plain Python list is not registered and does not appear.
    """
    nodes: list[tuple[int, float, str]] = []  # (depth, row, label)
    edges: list[tuple[int, int]] = []
    next_leaf = [0]

    def place(name: str, module: nn.Module, depth: int) -> int:
        index = len(nodes)
        nodes.append((depth, 0.0, _module_label(name, module)))
        children = [place(n, m, depth + 1) for n, m in module.named_children()]
        if children:
            row = sum(nodes[c][1] for c in children) / len(children)
            edges.extend((index, c) for c in children)
        else:
            row = float(next_leaf[0])
            next_leaf[0] += 1
        nodes[index] = (depth, row, nodes[index][2])
        return index

    place("", model, 0)
    depth = max(d for d, _, _ in nodes)
    fig, ax = plt.subplots(figsize=(3.2 * (depth + 1), 0.75 * next_leaf[0] + 0.6))
    box = {"boxstyle": "round,pad=0.4", "facecolor": "#e8eef7", "edgecolor": "#4a6fa5"}
    for parent, child in edges:
        (x0, y0, _), (x1, y1, _) = nodes[parent], nodes[child]
        ax.plot([x0, x1], [-y0, -y1], color="#4a6fa5", linewidth=1, zorder=1)
    for x, y, label in nodes:
        ax.text(x, -y, label, ha="center", va="center", fontsize=9, bbox=box, zorder=2)
    ax.set_xlim(-0.6, depth + 0.6)
    ax.set_ylim(-(next_leaf[0] - 1) - 0.6, 0.6)
    ax.axis("off")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
