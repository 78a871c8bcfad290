"""Every chapter through the real grader, in one run of ``nncourse grade``.

A class of four: the model solution, the untouched release, and two students
made of the course's kept answers (the first wrong answer of every exercise,
and the first other correct answer). The solution scores full marks, the
release zero, each kept wrong answer loses its test's points and each kept
right answer keeps them, in every chapter, through nbgrader, the sandbox, the
probes and the gradebook.

Every kept answer (not only the first of each exercise) is judged by the same
specs in tests/test_mutants.py, which runs them as it runs the mutants; that
each one names real cells, and that every test cell has a wrong answer, is
checked without a kernel in tests/unit/test_kept_answers.py.
"""

from __future__ import annotations

import csv

import pytest

from nncourse.course import Course
from nncourse.grade import GradeOptions, grade
from tests import autograding
from tests.conftest import REPO, chapter_ids
from tests.helpers import write

pytestmark = pytest.mark.grading


def first_of_each(answers: list) -> list:
    """The first kept answer of each answer cell."""
    return autograding.pack(answers)[0] if answers else []


@pytest.fixture(scope="module")
def graded(tmp_path_factory, fashion_mnist_root):
    """student -> chapter -> {test cell: score}, and the kept answers used."""
    tmp = tmp_path_factory.mktemp("class")
    used = {}
    for chapter in chapter_ids():
        answers = autograding.solution_cells(chapter)
        wrong = first_of_each(autograding.wrong_answers(chapter))
        right = first_of_each(autograding.right_answers(chapter))
        used[chapter] = {"wrong": wrong, "right": right}
        students = {
            "solution": answers,
            "untouched": {},
            "wrong": {**answers, **{a.cell: a.source for a in wrong}},
            "right": {**answers, **{a.cell: a.source for a in right}},
        }
        for student, cells in students.items():
            notebook = autograding.submission(chapter, cells)
            write(notebook, tmp / "submissions" / student / f"{chapter}.ipynb")
    options = GradeOptions.create(
        tmp / "submissions",
        tmp / "out",
        course=Course(REPO),
        db_url=f"sqlite:///{tmp / 'gradebook.db'}",
    )
    grade(options)
    scores: dict = {}
    with open(tmp / "out" / "grades.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            chapter = scores.setdefault(row["student_id"], {}).setdefault(
                row["chapter"], {}
            )
            chapter[row["cell"]] = float(row["score"])
    return scores, used


@pytest.mark.parametrize("chapter", chapter_ids())
def test_the_solution_scores_full_marks(graded, chapter):
    scores, _ = graded
    assert scores["solution"][chapter] == autograding.graded_cells(chapter)


@pytest.mark.parametrize("chapter", chapter_ids())
def test_the_untouched_release_scores_zero(graded, chapter):
    scores, _ = graded
    got = scores["untouched"][chapter]
    assert set(got) == set(autograding.graded_cells(chapter))
    assert sum(got.values()) == 0, got


@pytest.mark.parametrize("chapter", chapter_ids())
def test_kept_answers_score_as_their_headers_say(graded, chapter):
    scores, used = graded
    points = autograding.graded_cells(chapter)
    wrong, right = used[chapter]["wrong"], used[chapter]["right"]
    assert wrong and right
    kept = {
        f"{a.name} ({a.mistake}): {cell}": scores["wrong"][chapter][cell]
        for a in wrong
        for cell in a.loses
        if scores["wrong"][chapter][cell] != 0
    }
    assert not kept, f"wrong answers that kept points: {kept}"
    lost = {
        f"{a.name} ({a.style}): {cell}": scores["right"][chapter][cell]
        for a in right
        for cell in a.scores
        if scores["right"][chapter][cell] != points[cell]
    }
    assert not lost, f"correct answers that lost points: {lost}"
