"""benchmarks/cnn_variants.py, the search behind the instructor guide's table
of chapter 08's budget: each option builds the CNN it names, and the defaults
build the chapter's own SmallCNN."""

import sys
from pathlib import Path

import pytest
import torch
from torch import nn

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def variants():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import cnn_variants
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return cnn_variants


def model_for(variants, monkeypatch, *options):
    monkeypatch.setattr(sys, "argv", ["cnn_variants.py", *options])
    return variants.variant_cnn(variants.arguments())


def layer_types(model):
    return [type(layer) for layer in model.modules() if not list(layer.children())]


def test_the_defaults_train_the_chapters_smallcnn(variants, monkeypatch):
    model = model_for(variants, monkeypatch)
    assert type(model).__name__ == "SmallCNN"
    assert model.features[0].out_channels == 16


def test_a_changed_option_builds_the_same_layers_with_that_change(
    variants, monkeypatch
):
    chapter = layer_types(model_for(variants, monkeypatch))
    model = model_for(variants, monkeypatch, "--channels", "32,48", "--hidden", "64")
    assert layer_types(model) == chapter
    convs = [layer for layer in model.modules() if isinstance(layer, nn.Conv2d)]
    assert [conv.out_channels for conv in convs] == [32, 48]
    linears = [layer for layer in model.modules() if isinstance(layer, nn.Linear)]
    assert [linear.out_features for linear in linears] == [64, 10]
    assert linears[0].in_features == 48 * 7 * 7
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)


@pytest.mark.parametrize(
    ("order", "first_block"),
    [
        ("pool-last", [nn.Conv2d, nn.BatchNorm2d, nn.ReLU, nn.MaxPool2d]),
        ("stride", [nn.Conv2d, nn.BatchNorm2d, nn.ReLU]),
    ],
)
def test_the_layer_orders(variants, monkeypatch, order, first_block):
    model = model_for(variants, monkeypatch, "--order", order)
    assert layer_types(model)[: len(first_block)] == first_block
    assert model[0][0].stride == ((2, 2) if order == "stride" else (1, 1))
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)


def test_a_first_kernel_of_5_keeps_the_maps_size(variants, monkeypatch):
    model = model_for(variants, monkeypatch, "--first-kernel", "5")
    assert model[0][0].kernel_size == (5, 5)
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
