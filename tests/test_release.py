"""The student releases: generated from their sources, clean, and runnable."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from nncourse import release
from nncourse.course import Course
from nncourse.preprocessors.cells import is_test
from tests.conftest import REPO, chapter_ids
from tests.helpers import MARKERS


def test_committed_releases_match_their_sources():
    drifted = release.check(Course(REPO), chapter_ids())
    assert not drifted, f"run `nncourse release` and commit: {drifted}"


def test_release_check_names_a_drifted_file(tmp_path):
    course = tmp_path / "course"
    for part in ("autograder", "solutions/01-modules", "notebooks/01-modules"):
        shutil.copytree(
            REPO / part, course / part, ignore=shutil.ignore_patterns("*.db")
        )
    source = course / "solutions/01-modules/01-modules.ipynb"
    notebook = nbformat.read(source, as_version=4)
    notebook.cells[0].source += "\n\nAn edit without a release."
    nbformat.write(notebook, source)
    assert release.check(Course(course), ["01-modules"]) == [
        "notebooks/01-modules/01-modules.ipynb"
    ]


def test_no_nbgrader_markers_in_releases():
    for path in (REPO / "notebooks").rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            found = [marker for marker in MARKERS if marker in text]
            assert not found, f"{path.relative_to(REPO)} contains {found}"


@pytest.mark.notebooks
@pytest.mark.parametrize("chapter", chapter_ids())
def test_release_fails_only_in_unanswered_exercises(
    chapter, fashion_mnist_root, tmp_path, monkeypatch
):
    """Every test cell fails with NotImplementedError, and nothing else fails,
    except lesson cells that use an unanswered exercise (NotImplementedError)
    and the cells after them. The kernel runs as nbgrader's Validate runs it
    (``NBGRADER_EXECUTION``: long training cells take their short budget);
    the full-length lesson cells run in the book build."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    path = REPO / "notebooks" / chapter / f"{chapter}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        allow_errors=True,
        resources={"metadata": {"path": tmp_path}},
    ).execute()
    failed = {}
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                failed[index] = output.ename
    test_cells = [i for i, cell in enumerate(notebook.cells) if is_test(cell)]
    assert test_cells, f"{chapter} has no graded test cells"
    not_failing = [i for i in test_cells if failed.get(i) != "NotImplementedError"]
    assert not not_failing, f"test cells without NotImplementedError: {not_failing}"
    lesson_failures = sorted(set(failed) - set(test_cells))
    if lesson_failures:
        first = lesson_failures[0]
        assert failed[first] == "NotImplementedError", (
            f"lesson cell {first} failed with {failed[first]}: "
            f"{notebook.cells[first].source[:200]}"
        )
