"""Real nbgrader autograding of every chapter in a temporary course.

The model solution scores full marks, the untouched release scores zero, and
every wrong answer in autograder/wrong-answers/ loses the points of the test
cells it names. Every graded test cell has at least one such wrong answer.

Grading a notebook costs seconds (a kernel, torch, the lesson cells), so wrong
answers to different exercises share a submission: submission k holds the k-th
wrong answer of every exercise. Test cells check only their own exercise, so
one wrong answer cannot cost another's test cell its points.
"""

from __future__ import annotations

import pytest

from tests import autograding
from tests.conftest import chapter_ids


@pytest.fixture(scope="module", params=chapter_ids())
def graded(request, tmp_path_factory, fashion_mnist_root):
    chapter = request.param
    answers = autograding.solution_cells(chapter)
    submissions = {
        "solution": autograding.submission(chapter, answers),
        "untouched": autograding.submission(chapter, {}),
    }
    wrong = autograding.wrong_answers(chapter)
    packed = autograding.pack(wrong)
    for k, group in enumerate(packed):
        submissions[f"wrong-{k}"] = autograding.submission(
            chapter, {**answers, **{answer.cell: answer.source for answer in group}}
        )
    root = tmp_path_factory.mktemp(f"course-{chapter}")
    scores = autograding.autograde(root, chapter, submissions)
    for k, group in enumerate(packed):
        for answer in group:
            scores[f"wrong-{answer.name}"] = scores[f"wrong-{k}"]
    return chapter, scores, wrong


def test_solution_scores_full_marks(graded):
    chapter, scores, _ = graded
    points = autograding.graded_cells(chapter)
    assert scores["solution"] == points


def test_untouched_release_scores_zero(graded):
    chapter, scores, _ = graded
    assert set(scores["untouched"]) == set(autograding.graded_cells(chapter))
    assert sum(scores["untouched"].values()) == 0, scores["untouched"]


def test_every_wrong_answer_loses_its_points(graded):
    chapter, scores, wrong = graded
    points = autograding.graded_cells(chapter)
    solutions = autograding.solution_cells(chapter)
    kept = {}
    for answer in wrong:
        assert answer.cell in solutions, (
            f"{answer.name}: no solution cell {answer.cell}"
        )
        assert set(answer.loses) <= set(points), (
            f"{answer.name}: unknown {answer.loses}"
        )
        got = scores[f"wrong-{answer.name}"]
        kept.update(
            {
                f"{answer.name} ({answer.mistake}): {cell}": got[cell]
                for cell in answer.loses
                if got[cell] != 0
            }
        )
    assert not kept, f"wrong answers that kept points: {kept}"


def test_every_test_cell_rejects_some_wrong_answer(graded):
    chapter, _, wrong = graded
    covered = {cell for answer in wrong for cell in answer.loses}
    uncovered = set(autograding.graded_cells(chapter)) - covered
    assert not uncovered, (
        f"{chapter}: add a wrong answer to autograder/wrong-answers/{chapter}/ "
        f"for {sorted(uncovered)}"
    )
