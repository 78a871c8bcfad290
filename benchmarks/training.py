"""Benchmark: chapter 07's training recipe against PyTorch's "Learn the Basics".

Trains, one after the other in one run on this machine:

(a) the recipe of the PyTorch tutorial "Learn the Basics": MLP 784-512-512-10,
    SGD with lr 1e-3, batch 64, a DataLoader over torchvision's PIL images with
    ToTensor, 5 epochs;
(b) chapter 07's recipe: the data set held as one standardised tensor, less
    the 5,000 images the chapter holds out for validation, MLP
    784-384-192-10 with dropout 0.1, Adam with a one-cycle schedule to lr 3e-3,
    batch 256, 10 epochs;
(c) chapter 08's recipe: the same tensors (all 60,000 training images), the
    chapter's SmallCNN (two blocks of 3x3 convolution, max-pooling,
    BatchNorm and ReLU with 16 and 32 channels, then Linear 1568-128, ReLU,
    dropout 0.25 and Linear 128-10) in the channels-last memory format, AdamW
    with a one-cycle schedule to lr 5e-3, batch 256, 10 epochs.

For each it prints the wall time, the test accuracy after every epoch and the
training time at which the test accuracy first reached each target: 85 %, 88 %
and 89 % for the MLPs, 90 %, 91 % and 92 % for the CNN (training time excludes
evaluation). Last, the ratio of (b)'s time to 89 % over (a)'s total training
time, and (c)'s time to 92 %. A benchmark, not a test: run it on a quiet
machine.

    NNCOURSE_DATA=../shared/data .venv/bin/python benchmarks/training.py
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nbformat
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split
from torchvision.transforms import ToTensor

from nncourse import seed_everything
from nncourse.data import fashion_mnist, fashion_mnist_tensors

REPO = Path(__file__).resolve().parent.parent

TARGETS = (0.85, 0.88, 0.89)
CNN_TARGETS = (0.90, 0.91, 0.92)


def evaluate(model, loader) -> float:
    model.eval()
    correct = count = 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            count += len(y)
    return correct / count


def run(name, model, optimizer, train_loader, test_loader, num_epochs, after_step):
    """Train, evaluating after every epoch; return per-epoch (seconds, accuracy)."""
    loss_fn = nn.CrossEntropyLoss()
    trained, history = 0.0, []
    wall = time.perf_counter()
    for epoch in range(1, num_epochs + 1):
        start = time.perf_counter()
        model.train()
        for X, y in train_loader:
            loss = loss_fn(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            after_step()
        trained += time.perf_counter() - start
        history.append((trained, evaluate(model, test_loader)))
        print(f"  {name} epoch {epoch}: {history[-1][1]:.2%} after {trained:.1f} s")
    return time.perf_counter() - wall, history


def tutorial_recipe(num_epochs: int):
    train = fashion_mnist(train=True, transform=ToTensor())
    test = fashion_mnist(train=False, transform=ToTensor())
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(28 * 28, 512),
        nn.ReLU(),
        nn.Linear(512, 512),
        nn.ReLU(),
        nn.Linear(512, 10),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    return (
        model,
        optimizer,
        DataLoader(train, batch_size=64, shuffle=True),
        DataLoader(test, batch_size=64),
        num_epochs,
        lambda: None,
    )


def chapter_recipe(num_epochs: int, device: str = "cpu"):
    X_train, y_train = fashion_mnist_tensors(train=True)
    X_test, y_test = fashion_mnist_tensors(train=False)
    # The chapter trains on 55,000 images: it holds 5,000 out for validation.
    train_split, _ = random_split(
        range(len(X_train)), [55_000, 5_000], generator=torch.Generator().manual_seed(0)
    )
    X_train, y_train = X_train[train_split.indices], y_train[train_split.indices]
    mean, std = X_train.mean(), X_train.std()
    X_train, X_test = (X_train - mean) / std, (X_test - mean) / std
    # On a GPU (benchmarks/cuda_check.py) the whole set lives in its memory.
    X_train, y_train, X_test, y_test = (
        tensor.to(device) for tensor in (X_train, y_train, X_test, y_test)
    )
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(28 * 28, 384),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Linear(384, 192),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Linear(192, 10),
    ).to(device)
    train_loader = DataLoader(
        TensorDataset(X_train, y_train), batch_size=256, shuffle=True
    )
    test_loader = DataLoader(TensorDataset(X_test, y_test), batch_size=1024)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=3e-3, total_steps=num_epochs * len(train_loader)
    )
    return model, optimizer, train_loader, test_loader, num_epochs, scheduler.step


def chapter_class(chapter: str, name: str) -> type:
    """The class ``name`` as the chapter's source notebook defines it (its
    answer cell, run here): one source per chapter, no copy to drift."""
    source = REPO / "solutions" / chapter / f"{chapter}.ipynb"
    (code,) = [
        cell.source
        for cell in nbformat.read(source, as_version=4).cells
        if cell.cell_type == "code" and f"class {name}(" in cell.source
    ]
    namespace = {"torch": torch, "nn": nn}
    exec(code, namespace)
    return namespace[name]


def small_cnn(width: int = 16) -> nn.Module:
    """Chapter 08's SmallCNN (an exercise there), from the chapter."""
    return chapter_class("08-convolutional-networks", "SmallCNN")(width=width)


def cnn_recipe(num_epochs: int, device: str = "cpu"):
    X_train, y_train = fashion_mnist_tensors(train=True)
    X_test, y_test = fashion_mnist_tensors(train=False)
    mean, std = X_train.mean(), X_train.std()
    X_train, X_test = (X_train - mean) / std, (X_test - mean) / std
    X_train, y_train, X_test, y_test = (
        tensor.to(device) for tensor in (X_train, y_train, X_test, y_test)
    )
    model = small_cnn().to(device, memory_format=torch.channels_last)
    train_loader = DataLoader(
        TensorDataset(X_train, y_train), batch_size=256, shuffle=True
    )
    test_loader = DataLoader(TensorDataset(X_test, y_test), batch_size=1024)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-3)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=5e-3, total_steps=num_epochs * len(train_loader)
    )
    return model, optimizer, train_loader, test_loader, num_epochs, scheduler.step


def time_to(history, target):
    return next((seconds for seconds, acc in history if acc >= target), None)


def report(name, wall, history, targets=TARGETS):
    print(
        f"{name}: wall {wall:.1f} s, training {history[-1][0]:.1f} s, "
        f"final test accuracy {history[-1][1]:.2%}"
    )
    print("  accuracy per epoch: " + ", ".join(f"{a:.2%}" for _, a in history))
    for target in targets:
        seconds = time_to(history, target)
        reached = f"{seconds:.1f} s" if seconds is not None else "not reached"
        print(f"  time to {target:.0%}: {reached}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tutorial-epochs", type=int, default=5)
    parser.add_argument("--chapter-epochs", type=int, default=10)
    parser.add_argument("--cnn-epochs", type=int, default=10)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    results = {}
    for name, recipe, epochs, targets in (
        ("(a) Learn the Basics", tutorial_recipe, args.tutorial_epochs, TARGETS),
        ("(b) chapter 07", chapter_recipe, args.chapter_epochs, TARGETS),
        ("(c) chapter 08's CNN", cnn_recipe, args.cnn_epochs, CNN_TARGETS),
    ):
        seed_everything(0)
        print(f"{name}: training")
        results[name] = (*run(name, *recipe(epochs)), targets)
    print()
    for name, (wall, history, targets) in results.items():
        report(name, wall, history, targets)
    (_, tutorial, _), (_, chapter, _), (_, cnn, _) = results.values()
    to_89 = time_to(chapter, 0.89)
    if to_89 is None:
        print("\n(b) did not reach 89 %.")
    else:
        total = tutorial[-1][0]
        print(
            f"\n(b)'s time to 89 % / (a)'s total training time: "
            f"{to_89:.1f} s / {total:.1f} s = {to_89 / total:.2f}"
        )
    to_92 = time_to(cnn, 0.92)
    print(
        "(c) did not reach 92 %."
        if to_92 is None
        else f"(c)'s time to 92 %: {to_92:.1f} s (target: 60 s)"
    )


if __name__ == "__main__":
    main()
