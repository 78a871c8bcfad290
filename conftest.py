"""How nbval runs the chapters in solutions/ (pytest's `notebooks` tier; the
other tests' fixtures and tiers are in tests/conftest.py). It lives here, not
in solutions/, which nbgrader reads as its folder of assignments.

nbval runs each chapter as ``nbgrader validate`` does
(``NBGRADER_EXECUTION=validate``, read by :func:`nncourse.is_grading`), so its
training cells take the short budget. The full run, with the chapters'
accuracy self-checks, is the book build's (``make book``), which fails on any
error: each chapter's long training runs once, and nbval still runs every
cell and compares the outputs of those tagged ``nbval-check-output``, none of
which depends on the length of a training run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SOLUTIONS = Path(__file__).resolve().parent / "solutions"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a notebook's kernel in the setup of its first cell; the
    kernel keeps the environment it started with."""
    if SOLUTIONS not in Path(item.path).parents:
        yield
        return
    before = os.environ.get("NBGRADER_EXECUTION")
    os.environ["NBGRADER_EXECUTION"] = "validate"
    try:
        yield
    finally:
        if before is None:
            del os.environ["NBGRADER_EXECUTION"]
        else:
            os.environ["NBGRADER_EXECUTION"] = before
