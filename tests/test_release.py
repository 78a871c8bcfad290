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
    course = course_copy(tmp_path)
    source = course.source("01-modules")
    notebook = nbformat.read(source, as_version=4)
    notebook.cells[0].source += "\n\nAn edit without a release."
    nbformat.write(notebook, source)
    assert release.check(course, ["01-modules"]) == [
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


def course_copy(tmp_path, chapter: str = "01-modules") -> Course:
    course = tmp_path / "course"
    for part in ("autograder", f"solutions/{chapter}", f"notebooks/{chapter}"):
        shutil.copytree(
            REPO / part, course / part, ignore=shutil.ignore_patterns("*.db")
        )
    return Course(course)


def drop_last_test_cell(source) -> None:
    notebook = nbformat.read(source, as_version=4)
    last = max(i for i, cell in enumerate(notebook.cells) if is_test(cell))
    del notebook.cells[last]
    nbformat.write(notebook, source)


def test_a_release_nbgrader_refuses_loses_nothing(tmp_path):
    course, chapter = course_copy(tmp_path), "01-modules"
    released = course.released(chapter)
    before = released.read_bytes()
    notebook = nbformat.read(course.source(chapter), as_version=4)
    first, second = [cell for cell in notebook.cells if is_test(cell)][:2]
    second.metadata["nbgrader"]["grade_id"] = first.metadata["nbgrader"]["grade_id"]
    nbformat.write(notebook, course.source(chapter))
    with pytest.raises(SystemExit, match="could not release"):
        release.release(course, [chapter])
    assert released.read_bytes() == before


def test_a_gradebook_with_submissions_keeps_its_record_and_the_release_is_made(
    tmp_path, capsys
):
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    course, chapter = course_copy(tmp_path), "01-modules"
    release.release(course, [chapter])
    db_url = CourseDirectory(config=course.nbgrader_config()).db_url
    with Gradebook(db_url) as gradebook:
        gradebook.add_student("ada")
        gradebook.add_submission(chapter, "ada")
    drop_last_test_cell(course.source(chapter))
    release.release(course, [chapter])
    printed = capsys.readouterr().out
    assert "keeps its earlier record of 01-modules" in printed
    assert "because there are submissions" in printed
    assert not release.check(course, [chapter])  # the new release is in place
    with Gradebook(db_url) as gradebook:
        assert gradebook.find_submission(chapter, "ada")
