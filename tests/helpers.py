"""Helpers shared by the test modules: a temporary course, a free port,
nbgrader's marker lines, tiny notebooks."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from tests.conftest import REPO

#: nbgrader's marker lines, which nothing published may show.
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS")


def make_course(root: Path, chapter: str) -> Path:
    """A course with one chapter's source, its wrong answers, its specs and
    the course's nbgrader config."""
    shutil.copytree(REPO / "solutions" / chapter, root / "solutions" / chapter)
    wrong = Path("autograder") / "wrong-answers" / chapter
    shutil.copytree(REPO / wrong, root / wrong)
    specs = Path("autograder") / "specs" / f"{chapter}.py"
    if (REPO / specs).is_file():
        (root / specs).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / specs, root / specs)
    shutil.copy(
        REPO / "autograder" / "nbgrader_config.py",
        root / "autograder" / "nbgrader_config.py",
    )
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write(notebook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def nbgrader_cell(source: str, outputs=(), **nbgrader) -> nbformat.NotebookNode:
    """A code cell with nbgrader metadata, e.g. ``grade=True, grade_id="t"``."""
    cell = new_code_cell(source, outputs=list(outputs))
    cell.metadata["nbgrader"] = {"schema_version": 3, "locked": False, **nbgrader}
    return cell


def grading_test_cell(grade_id: str, source: str = "assert True", outputs=(), points=1):
    """An autograded test cell."""
    return nbgrader_cell(
        source,
        outputs,
        grade=True,
        solution=False,
        grade_id=grade_id,
        points=points,
        task=False,
    )


def answer_cell(grade_id: str, source: str = "x = 1"):
    return nbgrader_cell(source, solution=True, grade=False, grade_id=grade_id)


def wait_for(
    what: str, condition, timeout: float, where: Callable[[], str], process=None
):
    """Poll ``condition`` until it returns something true, and return that;
    fail naming ``what`` and ``where()`` (a log, its tail), at once if
    ``process`` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"the process exited while waiting for {what}: {where()}")
        try:
            result = condition()
        except (OSError, ValueError):
            result = None
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}: {where()}")
