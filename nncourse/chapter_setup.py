"""What every chapter's set-up cell does: choose a device, fix the seeds."""

from __future__ import annotations

import os
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch loads when a function runs, not on import
    import torch

REQUIRE_CUDA_VARIABLE = "NNCOURSE_REQUIRE_CUDA"


def pick_device() -> torch.device:
    """Return ``cuda`` when a GPU is visible, else ``cpu``.

    On a GPU test runner ``NNCOURSE_REQUIRE_CUDA=1`` turns a missing GPU into an
    error, so a GPU job cannot silently run everything on the CPU.
    """
    import torch

    if torch.cuda.is_available():
        return torch.device("cuda")
    if os.environ.get(REQUIRE_CUDA_VARIABLE, "") not in ("", "0"):
        raise RuntimeError(
            f"{REQUIRE_CUDA_VARIABLE} is set but PyTorch sees no CUDA GPU "
            f"(torch {torch.__version__}, CUDA build: {torch.version.cuda}). "
            "Check the driver with `nvidia-smi`, or unset the variable to run on CPU."
        )
    return torch.device("cpu")


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and PyTorch (CPU and every GPU) so runs repeat."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device


def is_grading() -> bool:
    """True while nbgrader executes the notebook (autograde or validate).

    nbgrader sets ``NBGRADER_EXECUTION``; chapters use this to shrink long
    cells, such as a full training run, to a small budget.
    """
    return bool(os.environ.get("NBGRADER_EXECUTION"))
