"""benchmarks/cuda_check.py (`make cuda-check`) without a GPU: it stops at once
and says so; its arguments, nbval command and comparison work on the CPU."""

from __future__ import annotations

import importlib.util
import sys

import pytest
import torch

from tests.conftest import REPO


@pytest.fixture
def cuda_check():
    path = REPO / "benchmarks" / "cuda_check.py"
    spec = importlib.util.spec_from_file_location("cuda_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without GPU")
def test_without_a_gpu_it_stops_before_running_anything(
    cuda_check, monkeypatch, capsys
):
    monkeypatch.setattr(cuda_check, "run_notebooks", lambda workers: pytest.fail())
    with pytest.raises(SystemExit) as stop:
        cuda_check.main([])
    assert stop.value.code == cuda_check.NO_GPU
    assert "needs an NVIDIA GPU" in capsys.readouterr().err


def test_arguments(cuda_check, capsys):
    defaults = cuda_check.parse_args([])
    assert (defaults.device, defaults.epochs, defaults.skip_notebooks) == (
        "cuda",
        10,
        False,
    )
    with pytest.raises(SystemExit):
        cuda_check.parse_args(["--device", "gpu"])
    assert "invalid choice" in capsys.readouterr().err


def test_notebooks_run_under_nbval_requiring_cuda(cuda_check):
    command, env = cuda_check.nbval_command(workers=4)
    assert env["NNCOURSE_REQUIRE_CUDA"] == "1"
    assert command[1:4] == ["-m", "pytest", "-q"] and "solutions" in command
    assert command[-4:] == ["-n", "4", "--dist", "loadfile"]
    assert "-n" not in cuda_check.nbval_command(workers=1)[0]


@pytest.mark.parametrize(("cpu_accuracy", "status"), [(0.8912, 0), (0.8812, 1)])
def test_the_accuracies_on_both_devices_are_compared(
    cuda_check, monkeypatch, capsys, cpu_accuracy, status
):
    results = {"cuda": (2.0, 0.8950), "cpu": (15.0, cpu_accuracy)}
    monkeypatch.setattr(cuda_check, "require_gpu", lambda: "a fake GPU")
    monkeypatch.setattr(cuda_check, "run_notebooks", lambda workers: True)
    monkeypatch.setattr(cuda_check, "train", lambda device, epochs: results[device])
    assert cuda_check.main([]) == status
    out = capsys.readouterr().out
    assert "cuda 2.0 s, test accuracy 89.50%; cpu 15.0 s" in out
    assert ("apart" in out) == bool(status)


def test_failing_notebooks_fail_the_check(cuda_check, monkeypatch, capsys):
    monkeypatch.setattr(cuda_check, "run_notebooks", lambda workers: False)
    monkeypatch.setattr(cuda_check, "train", lambda device, epochs: (1.0, 0.89))
    assert cuda_check.main(["--device", "cpu"]) == 1
    assert "notebooks under nbval: FAIL" in capsys.readouterr().out


def test_the_benchmark_trains_chapter_08s_own_cnn():
    """benchmarks/training.py takes SmallCNN from the chapter's source: the
    same layers, so the same parameters, as the solution's."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import training
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    model = training.small_cnn(width=8)
    assert type(model).__name__ == "SmallCNN"
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert model.features[0].out_channels == 8  # its width argument is used
