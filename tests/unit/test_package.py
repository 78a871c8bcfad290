"""Unit tests of the helper package nncourse (no notebooks, no nbgrader runs)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import torch
from torch import nn

import nncourse
from nncourse import chapter_setup, checks, cli, data
from nncourse.course import Course
from nncourse.release import differences
from tests.conftest import REPO

COURSE = Course(REPO)

# ---- set-up -------------------------------------------------------------------


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without GPU")
def test_pick_device_is_cpu_without_gpu(monkeypatch):
    monkeypatch.delenv(chapter_setup.REQUIRE_CUDA_VARIABLE, raising=False)
    assert nncourse.pick_device() == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without GPU")
def test_require_cuda_fails_without_gpu(monkeypatch):
    monkeypatch.setenv(chapter_setup.REQUIRE_CUDA_VARIABLE, "1")
    with pytest.raises(RuntimeError, match="NNCOURSE_REQUIRE_CUDA"):
        nncourse.pick_device()


def test_seed_everything_repeats():
    nncourse.seed_everything(7)
    first = torch.rand(3)
    nncourse.seed_everything(7)
    assert torch.equal(first, torch.rand(3))


# ---- data ---------------------------------------------------------------------


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No internet and no Debian package: only what is in the folder counts."""

    def no_network(root):
        (Path(root) / "FashionMNIST" / "raw").mkdir(parents=True, exist_ok=True)
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(data, "_download", no_network)
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "no-debian-package")


def test_missing_data_names_the_three_ways(offline, monkeypatch, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(data.DATA_VARIABLE, str(empty))
    with pytest.raises(data.DataNotFoundError) as error:
        data.fashion_mnist(train=False)
    message = str(error.value)
    assert str(empty / "FashionMNIST" / "raw") in message
    assert "nncourse data" in message  # 1. download online
    assert "apt-get install dataset-fashion-mnist" in message  # 2. Debian
    assert "NNCOURSE_DATA" in message  # 3. point at a copy
    assert "Error downloading" in message  # why the download failed
    assert list(empty.iterdir()) == []  # the failed download left nothing behind


def test_data_command_prints_the_error_and_fails(
    offline, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv(data.DATA_VARIABLE, str(tmp_path))
    assert cli.main(["data"]) == data.EXIT_UNAVAILABLE  # `make data` reads it
    assert "Get it in one of three ways" in capsys.readouterr().out


def test_debian_package_is_used_offline(offline, monkeypatch, tmp_path):
    debian = tmp_path / "debian"
    debian.mkdir()
    for name in data.RAW_FILES:
        with gzip.open(debian / f"{name}.gz", "wb") as file:
            file.write(name.encode())
    monkeypatch.setattr(data, "DEBIAN_DIR", debian)
    root = tmp_path / "root"
    assert data.ensure_fashion_mnist(root) == root
    raw = root / "FashionMNIST" / "raw"
    assert (raw / "t10k-labels-idx1-ubyte").read_bytes() == b"t10k-labels-idx1-ubyte"


def test_train_must_be_a_bool():
    with pytest.raises(TypeError, match="True or False"):
        data.fashion_mnist(train="True")


# ---- checks -------------------------------------------------------------------


def test_expect_tensor_reports_type_shape_dtype():
    with pytest.raises(AssertionError, match="should be a Tensor, but it is a list"):
        checks.expect_tensor([1], "x")
    with pytest.raises(AssertionError, match=r"shape \(2,\), but it has shape \(3,\)"):
        checks.expect_tensor(torch.zeros(3), "x", shape=(2,))
    with pytest.raises(AssertionError, match="dtype torch.int64"):
        checks.expect_tensor(torch.zeros(3), "x", dtype=torch.int64)
    value = torch.zeros(2, dtype=torch.int64)
    assert checks.expect_tensor(value, "x", shape=(2,), dtype=torch.int64) is value


def test_expect_close_reports_the_difference_and_hint():
    checks.expect_close(torch.ones(2), torch.ones(2), "x")
    with pytest.raises(AssertionError, match=r"largest difference 0\.5.*Try again"):
        checks.expect_close(torch.ones(2), torch.tensor([1.0, 1.5]), "x", "Try again.")


def test_expect_module_class_names_missing_super_init():
    class Forgetful(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(1, 1)

    class ReadsFirst(nn.Module):  # another message from torch, the same mistake
        def __init__(self):
            self.size = self.weight.shape
            super().__init__()

    class OwnMistake(nn.Module):  # super().__init__() is there: not that
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(1, 1)
            self.layer.wieght.zero_()

    for forgetful in (Forgetful, ReadsFirst):
        with pytest.raises(AssertionError, match=r"super\(\).__init__\(\)"):
            checks.expect_module_class(forgetful)
    with pytest.raises(AttributeError, match="wieght"):
        checks.expect_module_class(OwnMistake)
    with pytest.raises(AssertionError, match="subclasses torch.nn.Module"):
        checks.expect_module_class(lambda: None, what="f")
    assert isinstance(checks.expect_module_class(nn.Linear, 2, 3), nn.Linear)


def test_expect_module_class_lets_unanswered_stubs_fail_as_such():
    class Stub(nn.Module):
        def __init__(self):
            raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        checks.expect_module_class(Stub)


def test_expect_called_as_module_catches_forward():
    model = nn.Linear(2, 2)
    X = torch.zeros(1, 2)
    with pytest.raises(AssertionError, match=r"model.forward\(X\)"):
        checks.expect_called_as_module(model, lambda: model.forward(X), "f")
    result = checks.expect_called_as_module(model, lambda: model(X), "f")
    assert result.shape == (1, 2)
    assert not model._forward_hooks  # the probe hook is removed again


# ---- release helpers -------------------------------


def test_differences_lists_changed_missing_and_extra_files(tmp_path):
    left, right = tmp_path / "left", tmp_path / "right"
    for folder in (left, right):
        (folder / "sub").mkdir(parents=True)
        (folder / "same.txt").write_text("same")
    (left / "sub" / "changed.txt").write_text("a")
    (right / "sub" / "changed.txt").write_text("b")
    (left / "only-left.txt").write_text("x")
    (right / "sub" / "only-right.txt").write_text("x")
    assert sorted(differences(left, right, "nb")) == [
        "nb/only-left.txt",
        "nb/sub/changed.txt",
        "nb/sub/only-right.txt",
    ]


def test_chapters_resolve_by_number_or_name():
    assert COURSE.resolve(["01"]) == ["01-modules"]
    assert COURSE.resolve(["01-modules"]) == ["01-modules"]
    assert COURSE.resolve(["00"]) == ["00-tensors"]
    assert COURSE.resolve([])[:2] == ["00-tensors", "01-modules"]  # 00 first
    with pytest.raises(SystemExit, match="the chapters are: 00-tensors, 01-modules"):
        COURSE.resolve(["99"])
