"""Chapter 05's figure of an autograd graph, walked from the loss."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch

_GRAPH_COLOURS = {"node": ("#e8eef7", "#4a6fa5"), "tensor": ("#fdf0dc", "#c77d1a")}


def _graph_columns(count: int, arrows: Sequence[tuple[int, int]]) -> list[float]:
    """Column of each box: a box with children sits above their middle; boxes
    without children take the next free column, in the order of the walk."""
    children: dict[int, list[int]] = {i: [] for i in range(count)}
    for start, end in arrows:
        children[start].append(end)
    column: dict[int, float] = {}
    free = [0]

    def place(i: int) -> float:
        if i not in column:
            if children[i]:
                column[i] = sum(place(c) for c in children[i]) / len(children[i])
            else:
                column[i] = free[0]
                free[0] += 1
        return column[i]

    place(0)
    return [column.get(i, 0.0) for i in range(count)]


def plot_autograd_graph(
    boxes: Sequence[tuple[str, int, str]], arrows: Sequence[tuple[int, int]]
) -> Figure:
    """Draw a graph walked from the loss: ``boxes`` are ``(label, depth, kind)``
    with kind ``"node"`` (an autograd node) or ``"tensor"``, box 0 on top;
    ``arrows`` are ``(from, to)`` indices into ``boxes``, drawn downwards."""
    columns = _graph_columns(len(boxes), arrows)
    width = max(columns) + 1
    depth = max(d for _, d, _ in boxes)
    fig, ax = plt.subplots(figsize=(2.2 * width + 1, 0.8 * (depth + 1)))
    texts = [
        ax.text(
            columns[i],
            -d,
            label,
            ha="center",
            va="center",
            fontsize=9,
            bbox={
                "boxstyle": "round,pad=0.35",
                "fc": _GRAPH_COLOURS[kind][0],
                "ec": _GRAPH_COLOURS[kind][1],
            },
        )
        for i, (label, d, kind) in enumerate(boxes)
    ]
    for start, end in arrows:  # from the bottom of one box to the top of the next
        ax.annotate(
            "",
            xy=(0.5, 1),
            xycoords=texts[end],
            xytext=(0.5, 0),
            textcoords=texts[start],
            arrowprops={"arrowstyle": "-|>", "color": "#4a6fa5"},
        )
    legend = {"node": "autograd node (grad_fn)", "tensor": "tensor"}
    ax.legend(
        handles=[
            Patch(fc=_GRAPH_COLOURS[k][0], ec=_GRAPH_COLOURS[k][1], label=text)
            for k, text in legend.items()
        ],
        loc="upper left",
        fontsize=9,
    )
    ax.set_xlim(-0.7, width - 0.3)
    ax.set_ylim(-depth - 0.5, 0.5)
    ax.axis("off")
    return fig
