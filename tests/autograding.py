"""Helpers to grade made-up submissions with real nbgrader in a temporary course.

A submission is the released notebook with some solution cells replaced:
by the source's answers (the model solution), by nothing (the untouched
release), or by a wrong answer from ``autograder/wrong-answers/CHAPTER/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from nncourse import canaries, grading
from nncourse.canaries import WrongAnswer
from tests.conftest import REPO


def wrong_answers(chapter: str) -> list[WrongAnswer]:
    return canaries.wrong_answers(REPO / "autograder" / "wrong-answers" / chapter)


def pack(answers: list[WrongAnswer]) -> list[list[WrongAnswer]]:
    """Group wrong answers into submissions with at most one per solution cell."""
    by_cell: dict[str, list[WrongAnswer]] = {}
    for answer in answers:
        by_cell.setdefault(answer.cell, []).append(answer)
    depth = max((len(group) for group in by_cell.values()), default=0)
    return [
        [group[k] for group in by_cell.values() if k < len(group)] for k in range(depth)
    ]


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def solution_cells(chapter: str) -> dict[str, str]:
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    return {
        grade_id(cell): cell.source
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def graded_cells(chapter: str) -> dict[str, float]:
    """grade_id -> points of every autograded test cell of the chapter."""
    return dict(grading.graded_cells(REPO, chapter))


def submission(chapter: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The release with the solution cells in ``answers`` filled in."""
    notebook = nbformat.read(REPO / "notebooks" / chapter / f"{chapter}.ipynb", 4)
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook


def make_course(root: Path, chapter: str) -> None:
    """A temporary course with the chapter released into its gradebook."""
    shutil.copytree(REPO / "solutions" / chapter, root / "solutions" / chapter)
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
