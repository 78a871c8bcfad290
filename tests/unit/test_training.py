"""nncourse.training: chapter 07's loops, on tiny data, against loops written
out step by step."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from nncourse.training import evaluate, train_one_epoch


def tiny_data(seed: int, n: int = 10) -> TensorDataset:
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 4, generator=generator)
    return TensorDataset(X, torch.randint(0, 3, (n,), generator=generator))


def tiny_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3))


def test_train_one_epoch_takes_the_steps_of_a_plain_loop():
    model, reference = tiny_model(0), tiny_model(0)
    loader = DataLoader(tiny_data(1), batch_size=4)  # batches of 4, 4 and 2
    torch.manual_seed(2)  # the same dropout masks for both
    got = train_one_epoch(
        model,
        loader,
        nn.CrossEntropyLoss(),
        torch.optim.SGD(model.parameters(), lr=0.3),
        "cpu",
    )
    torch.manual_seed(2)
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.3)
    reference.train()
    total = 0.0
    for X, y in loader:
        loss = F.cross_entropy(reference(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    assert isinstance(got, float)
    assert got == pytest.approx(total / 10, abs=1e-6)
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-6)


def test_train_one_epoch_puts_the_model_in_training_mode():
    model = tiny_model(3).eval()
    modes = []
    model.register_forward_pre_hook(lambda module, args: modes.append(module.training))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(tiny_data(4), batch_size=5)
    train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, "cpu")
    assert modes == [True, True]


def test_train_one_epoch_steps_the_scheduler_once_per_batch():
    model = tiny_model(5)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    loader = DataLoader(tiny_data(6), batch_size=4)
    train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, "cpu", scheduler)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.5**3)


def test_train_one_epoch_without_scheduler_keeps_the_learning_rate():
    model = tiny_model(5)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    loader = DataLoader(tiny_data(6), batch_size=4)
    train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, "cpu")
    assert optimizer.param_groups[0]["lr"] == 1.0


def test_evaluate_weights_batches_by_size_in_eval_mode_without_graph():
    model = tiny_model(7).train()
    before = copy.deepcopy(model.state_dict())
    seen = []
    model.register_forward_pre_hook(
        lambda module, args: seen.append((module.training, torch.is_grad_enabled()))
    )
    data = tiny_data(8, n=7)
    loss, accuracy = evaluate(
        model, DataLoader(data, batch_size=3), nn.CrossEntropyLoss(), "cpu"
    )
    assert seen == [(False, False)] * 3  # batches of 3, 3 and 1
    with torch.no_grad():
        logits = model(data.tensors[0])
    labels = data.tensors[1]
    assert isinstance(loss, float) and isinstance(accuracy, float)
    assert loss == pytest.approx(F.cross_entropy(logits, labels).item(), abs=1e-6)
    expected = (logits.argmax(dim=1) == labels).double().mean().item()
    assert accuracy == pytest.approx(expected)
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, before[name]), name


def test_both_loops_move_every_batch_to_the_device():
    moved = []

    class Recording(torch.Tensor):
        def to(self, *args, **kwargs):
            moved.append(args)
            return torch.Tensor.to(self.as_subclass(torch.Tensor), *args, **kwargs)

    X, y = tiny_data(9, n=4).tensors
    loader = DataLoader(
        TensorDataset(X.as_subclass(Recording), y.as_subclass(Recording)),
        batch_size=2,
        collate_fn=lambda batch: tuple(
            torch.stack([sample[k] for sample in batch]).as_subclass(Recording)
            for k in range(2)
        ),
    )
    model = tiny_model(10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, "cpu")
    evaluate(model, loader, nn.CrossEntropyLoss(), "cpu")
    assert moved == [("cpu",)] * 8  # 2 batches x (X, y) x 2 loops
