"""The course on an NVIDIA GPU, in one call of under 5 minutes (`make cuda-check`).

1. Every solution notebook under nbval with ``NNCOURSE_REQUIRE_CUDA=1``, so
   that ``pick_device()`` fails instead of falling back to the CPU. The stored
   outputs come from a CPU run, and nbval compares the cells tagged
   ``nbval-check-output`` with them: this step is also the check that the
   outputs the tests compare are the same on CUDA as on the CPU.
2. Chapter 07's training recipe (``chapter_recipe`` of benchmarks/training.py)
   on ``cuda`` and then on ``cpu``: both times and test accuracies are printed,
   and the check fails when the accuracies differ by more than a point.

Without a GPU it stops at once, saying so. ``--device cpu`` runs step 2 on the
CPU twice (to try the script out), ``--skip-notebooks`` leaves out step 1.

    NNCOURSE_DATA=../shared/data .venv/bin/python benchmarks/cuda_check.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: How far the accuracy on the GPU may be from the one on the CPU (same seed;
#: the kernels' different summation orders change the trajectory a little).
ACCURACY_TOLERANCE = 0.01
NO_GPU = 2  # exit status without a usable GPU


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--epochs", type=int, default=10, help="chapter 07's (10)")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument(
        "--workers", type=int, default=4, help="notebooks run at once (pytest-xdist)"
    )
    return parser.parse_args(argv)


def require_gpu() -> str:
    """The GPU's name, or exit with what to check."""
    import torch

    if not torch.cuda.is_available():
        print(
            f"cuda-check needs an NVIDIA GPU, and PyTorch sees none (torch "
            f"{torch.__version__}, CUDA build: {torch.version.cuda}). Check the "
            "driver with `nvidia-smi`; `--device cpu` tries the script on the CPU.",
            file=sys.stderr,
        )
        sys.exit(NO_GPU)
    return torch.cuda.get_device_name()


def nbval_command(workers: int) -> tuple[list[str], dict[str, str]]:
    """pytest on solutions/ (pyproject.toml's addopts add nbval and its
    sanitising), with the notebooks required to find the GPU."""
    command = [sys.executable, "-m", "pytest", "-q", "-s", "solutions"]
    if workers > 1:  # one notebook per worker: a kernel's cells stay together
        command += ["-n", str(workers), "--dist", "loadfile"]
    return command, {**os.environ, "NNCOURSE_REQUIRE_CUDA": "1"}


def run_notebooks(workers: int) -> bool:
    command, env = nbval_command(workers)
    print("$ NNCOURSE_REQUIRE_CUDA=1 " + " ".join(command[1:]), flush=True)
    return subprocess.run(command, cwd=REPO, env=env).returncode == 0


def train(device: str, epochs: int) -> tuple[float, float]:
    """Chapter 07's recipe on ``device``: (training seconds, test accuracy).
    (Each evaluation's ``.item()`` waits for the GPU, so the times are real.)"""
    from training import chapter_recipe, run

    import nncourse

    nncourse.seed_everything(0)
    _, history = run(f"chapter 07 on {device}", *chapter_recipe(epochs, device))
    return history[-1]


def accuracies_agree(first: float, second: float) -> bool:
    return abs(first - second) <= ACCURACY_TOLERANCE


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    if args.device == "cuda":
        print(f"GPU: {require_gpu()}", flush=True)
    notebooks_pass = args.skip_notebooks or run_notebooks(args.workers)
    seconds, accuracy = train(args.device, args.epochs)
    cpu_seconds, cpu_accuracy = train("cpu", args.epochs)
    agree = accuracies_agree(accuracy, cpu_accuracy)
    print(
        f"\nchapter 07, {args.epochs} epochs: {args.device} {seconds:.1f} s, test "
        f"accuracy {accuracy:.2%}; cpu {cpu_seconds:.1f} s, {cpu_accuracy:.2%}"
        + ("" if agree else f" (more than {ACCURACY_TOLERANCE:.0%} apart)")
    )
    notebooks = "pass" if notebooks_pass else "FAIL"
    elapsed = time.perf_counter() - start
    print(
        f"notebooks under nbval: {'skipped' if args.skip_notebooks else notebooks}; "
        f"the whole check took {elapsed:.0f} s"
    )
    return 0 if notebooks_pass and agree else 1


if __name__ == "__main__":
    sys.exit(main())
