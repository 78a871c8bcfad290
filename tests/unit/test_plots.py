"""The figures of nncourse.plots draw what their docstrings promise on tiny
inputs, without a display (Agg backend)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from torch import nn  # noqa: E402

from nncourse import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_layer_outputs_draw_one_image_per_channel_and_one_strip_per_vector():
    rows = [("input", torch.rand(1, 4, 4)), ("conv", torch.rand(3, 2, 2))]
    rows += [("logits", torch.rand(5))]
    fig = plots.plot_layer_outputs(rows)
    assert isinstance(fig, Figure)
    images = [ax for ax in fig.axes if ax.images]
    assert len(images) == 1 + 3 + 1


def test_parameter_counts_show_one_bar_per_layer_with_parameters():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    cnn = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten())
    fig = plots.plot_parameter_counts({"mlp": mlp, "cnn": cnn})
    assert isinstance(fig, Figure)
    bars = [len(ax.patches) for ax in fig.axes]
    assert bars == [2, 1]
    assert fig.axes[0].get_title() == "mlp: 23 in all"


def test_autograd_graph_draws_every_box_and_arrow():
    boxes = [("loss", 0, "tensor"), ("SumBackward0", 1, "node"), ("w", 2, "tensor")]
    arrows = [(0, 1), (1, 2)]
    fig = plots.plot_autograd_graph(boxes, arrows)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [text.get_text() for text in ax.texts if text.get_text()]
    assert labels == ["loss", "SumBackward0", "w"]
    drawn_arrows = [text for text in ax.texts if getattr(text, "arrow_patch", None)]
    assert len(drawn_arrows) == len(arrows)


def test_history_draws_training_and_validation_per_epoch_leaving_out_missing_keys():
    history = {"train_loss": [0.9, 0.5, 0.4], "val_loss": [0.7, 0.6, 0.5]}
    history["val_accuracy"] = [0.8, 0.85, 0.87]
    fig = plots.plot_history(history)
    loss_ax, accuracy_ax = fig.axes
    lines = {line.get_label(): list(line.get_ydata()) for line in loss_ax.lines}
    assert lines == {"training set": [0.9, 0.5, 0.4], "validation set": [0.7, 0.6, 0.5]}
    assert list(loss_ax.lines[0].get_xdata()) == [1, 2, 3]
    assert [line.get_label() for line in accuracy_ax.lines] == ["validation set"]


def test_broadcast_draws_both_operands_stretched_and_the_sum():
    column, row = torch.tensor([[0.0], [10.0]]), torch.tensor([1.0, 2.0, 3.0])
    fig = plots.plot_broadcast(column, row)
    cells = [[patch.get_linestyle() for patch in ax.patches] for ax in fig.axes]
    assert [len(panel) for panel in cells] == [6, 6, 6]
    stored = [sum(style == "-" for style in panel) for panel in cells]
    assert stored == [2, 3, 6]  # what a and b hold; the sum holds all 6
    values = [text.get_text() for text in fig.axes[2].texts]
    assert values == ["1", "2", "3", "11", "12", "13"]
    assert fig.axes[0].get_title() == "a: shape (2, 1)"
