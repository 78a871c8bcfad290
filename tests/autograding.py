"""Helpers to grade made-up submissions with real nbgrader in a temporary course.

A submission is the released notebook with some solution cells replaced:
by the source's answers (the model solution), by nothing (the untouched
release), by a wrong answer from ``autograder/wrong-answers/CHAPTER/`` or by
another correct one from ``autograder/right-answers/CHAPTER/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.utils import is_solution

from nncourse.course import Course
from nncourse.grade.record import graded_cells as course_graded_cells
from nncourse.gradebook import start_gradebook
from nncourse.kept_answers import RightAnswer, WrongAnswer
from nncourse.kept_answers import right_answers as read_right_answers
from nncourse.kept_answers import wrong_answers as read_wrong_answers
from nncourse.preprocessors.cells import grade_id
from tests import helpers
from tests.conftest import REPO


def wrong_answers(chapter: str) -> list[WrongAnswer]:
    return read_wrong_answers(REPO / "autograder" / "wrong-answers" / chapter)


def right_answers(chapter: str) -> list[RightAnswer]:
    return read_right_answers(REPO / "autograder" / "right-answers" / chapter)


def pack(answers: list) -> list[list]:
    """Group kept answers into submissions with at most one per solution cell."""
    by_cell: dict[str, list] = {}
    for answer in answers:
        by_cell.setdefault(answer.cell, []).append(answer)
    depth = max((len(group) for group in by_cell.values()), default=0)
    return [
        [group[k] for group in by_cell.values() if k < len(group)] for k in range(depth)
    ]


def solution_cells(chapter: str) -> dict[str, str]:
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    return {grade_id(cell): cell.source for cell in source.cells if is_solution(cell)}


def graded_cells(chapter: str) -> dict[str, float]:
    """grade_id -> points of every autograded test cell of the chapter."""
    return dict(course_graded_cells(Course(REPO), chapter))


def submission(chapter: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The release with the solution cells in ``answers`` filled in."""
    notebook = nbformat.read(REPO / "notebooks" / chapter / f"{chapter}.ipynb", 4)
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook


def make_course(root: Path, chapter: str) -> None:
    """A temporary course with the chapter released into its gradebook."""
    helpers.make_course(root, chapter)
    start_gradebook(f"sqlite:///{root / 'gradebook.db'}")  # (no `alembic` run)
    nbgrader(root, "generate_assignment", chapter, "--force")


def nbgrader(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a real nbgrader command on the temporary course; with ``check``,
    fail unless it succeeds."""
    command = [
        str(Path(sys.executable).parent / "nbgrader"),
        *args,
        f"--CourseDirectory.root={root}",
        f"--CourseDirectory.db_url=sqlite:///{root / 'gradebook.db'}",
    ]
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(REPO / "autograder")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert not check or result.returncode == 0, (
        f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    )
    return result


def autograde(
    root: Path, chapter: str, submissions: dict
) -> dict[str, dict[str, float]]:
    """Grade ``{student: notebook}``; return ``{student: {grade_id: score}}``."""
    make_course(root, chapter)
    for student, notebook in submissions.items():
        folder = root / "autograder" / "submitted" / student / chapter
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{chapter}.ipynb")
    nbgrader(root, "autograde", chapter, "--create", "--force")
    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student in submissions:
            notebook = gradebook.find_submission_notebook(chapter, chapter, student)
            scores[student] = {grade.name: grade.score for grade in notebook.grades}
    return scores
