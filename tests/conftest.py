"""Shared fixtures and paths for the course's tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# nbgrader commands started by the tests must find the course configuration.
os.environ.setdefault("JUPYTER_CONFIG_PATH", str(REPO / "autograder"))


def chapter_ids() -> list[str]:
    from nncourse.course import chapters

    return chapters(REPO)


@pytest.fixture(scope="session")
def fashion_mnist_root() -> Path:
    """The data folder; fails with the loader's own message when it is missing."""
    from nncourse.data import ensure_fashion_mnist

    return ensure_fashion_mnist()


def pytest_collection_modifyitems(config, items):
    """nbval's items (every notebook under solutions/) are the notebooks tier."""
    solutions = REPO / "solutions"
    for item in items:
        if solutions in Path(item.path).parents:
            item.add_marker(pytest.mark.notebooks)
