"""Figures that more than one chapter draws.

Each function draws one idea on a Matplotlib figure and returns the figure, so a
notebook can show it (the last expression of a cell) or save it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from torch import nn

from nncourse.data import CLASS_NAMES
from nncourse.plots.autograd import plot_autograd_graph

__all__ = [
    "plot_autograd_graph",
    "plot_broadcast",
    "plot_history",
    "plot_layer_outputs",
    "plot_module_tree",
    "plot_parameter_counts",
    "show_images",
    "show_predictions",
]


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


def plot_layer_outputs(rows: Sequence[tuple[str, torch.Tensor]]) -> Figure:
    """Show what one image becomes in each layer, one row per ``(name, output)``.

    An output of shape ``(C, H, W)`` is drawn as ``C`` small images (the first
    row, the input, in grey; feature maps in colour); a vector of shape ``(F,)``
    as one strip of values across the row. The row titles give the shapes.
    """
    rows = [(name, values.detach().cpu().numpy()) for name, values in rows]
    columns = max(values.shape[0] for _, values in rows if values.ndim == 3)
    heights = [1 if values.ndim == 3 else 0.4 for _, values in rows]
    fig = plt.figure(figsize=(12, 0.85 * sum(heights)))
    grid = fig.add_gridspec(
        len(rows),
        columns + 1,
        width_ratios=[2.4] + [1] * columns,
        height_ratios=heights,
    )
    for row, (name, values) in enumerate(rows):
        title = fig.add_subplot(grid[row, 0])
        title.axis("off")
        title.text(
            1,
            0.5,
            f"{name}\n{tuple(values.shape)}",
            ha="right",
            va="center",
            fontsize=9,
        )
        if values.ndim == 1:
            ax = fig.add_subplot(grid[row, 1:])
            ax.imshow(values[None], aspect="auto")
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        for channel, feature_map in enumerate(values):
            ax = fig.add_subplot(grid[row, 1 + channel])
            ax.imshow(feature_map, cmap="gray_r" if row == 0 else "viridis")
            ax.axis("off")
    fig.subplots_adjust(
        left=0.01, right=0.99, top=0.98, bottom=0.02, hspace=0.3, wspace=0.1
    )
    return fig


def _layer_label(name: str, module: nn.Module) -> str:
    if isinstance(module, nn.Conv2d):
        k = module.kernel_size[0]
        return f"{name}: Conv2d {module.in_channels}→{module.out_channels}, {k}×{k}"
    if isinstance(module, nn.Linear):
        return f"{name}: Linear {module.in_features}→{module.out_features}"
    return f"{name}: {type(module).__name__}"


def plot_parameter_counts(models: dict[str, nn.Module]) -> Figure:
    """One bar chart per model (titled by its key): the number of parameters
    of each direct submodule that has any, with its share of the total."""
    fig, axes = plt.subplots(
        1, len(models), figsize=(5.5 * len(models), 3.2), squeeze=False
    )
    for ax, (title, model) in zip(axes[0], models.items(), strict=True):
        rows = [
            (_layer_label(name, module), sum(p.numel() for p in module.parameters()))
            for name, module in model.named_children()
        ]
        labels = [label for label, count in rows if count > 0]
        counts = [count for _, count in rows if count > 0]
        total = sum(counts)
        ax.barh(labels, counts)
        ax.invert_yaxis()  # first layer on top
        for i, count in enumerate(counts):
            ax.text(count, i, f" {count:,} ({count / total:.1%})", va="center")
        ax.set_xlim(0, max(counts) * 1.6)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
        ax.set_xlabel("parameters")
        ax.set_title(f"{title}: {total:,} in all")
    fig.tight_layout()
    return fig


def plot_history(history: dict[str, Sequence[float]]) -> Figure:
    """Loss and accuracy per epoch, side by side, on the training and the
    validation set.

    ``history`` maps ``train_loss``, ``val_loss``, ``train_accuracy`` and
    ``val_accuracy`` to one value per epoch; a key that is missing is left out.
    """
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    for ax, quantity, ylabel in zip(
        axes, ("loss", "accuracy"), ("cross-entropy loss", "accuracy"), strict=True
    ):
        for split, marker, label in (
            ("train", "o-", "training"),
            ("val", "s-", "validation"),
        ):
            values = history.get(f"{split}_{quantity}")
            if values:
                epochs = range(1, len(values) + 1)
                ax.plot(epochs, values, marker, label=f"{label} set")
        ax.set(xlabel="epoch", ylabel=ylabel, title=quantity)
        ax.legend()
    fig.tight_layout()
    return fig


def _draw_stretched(ax, tensor: torch.Tensor, rows: int, cols: int) -> None:
    """``tensor`` (at most 2-D) as a ``rows`` x ``cols`` grid of its values:
    the values it stores solid, the copies that broadcasting stretches pale."""
    grid = tensor.detach().cpu().reshape((1, 1, *tensor.shape)[-2:])
    for i in range(rows):
        for j in range(cols):
            stored = (grid.shape[0] > 1 or i == 0) and (grid.shape[1] > 1 or j == 0)
            value = grid[min(i, grid.shape[0] - 1), min(j, grid.shape[1] - 1)]
            alpha, linestyle = (0.45, "-") if stored else (0.12, "--")
            ax.add_patch(
                Rectangle(
                    (j, rows - 1 - i),
                    1,
                    1,
                    facecolor="C0",
                    edgecolor="C0",
                    alpha=alpha,
                    linestyle=linestyle,
                )
            )
            ax.text(
                j + 0.5,
                rows - 0.5 - i,
                f"{value.item():g}",
                ha="center",
                va="center",
                fontsize=9,
                alpha=1.0 if stored else 0.5,
            )


def plot_broadcast(a: torch.Tensor, b: torch.Tensor) -> Figure:
    """``a + b`` for tensors of at most two dimensions, as three grids: ``a``
    and ``b`` stretched to the shape of the sum (the values they store solid,
    the stretched copies pale and dashed), then the sum."""
    total = a + b
    rows, cols = (1, 1, *total.shape)[-2:]
    fig, axes = plt.subplots(1, 3, figsize=(3 * (0.5 * cols + 0.6), 0.5 * rows + 0.8))
    for ax, tensor, name in zip(axes, (a, b, total), ("a", "b", "a + b"), strict=True):
        _draw_stretched(ax, tensor, rows, cols)
        ax.set_title(f"{name}: shape {tuple(tensor.shape)}", fontsize=9)
        ax.set_xlim(-0.05, cols + 0.05)
        ax.set_ylim(-0.05, rows + 0.05)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.tight_layout()
    return fig
