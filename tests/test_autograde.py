"""Real nbgrader autograding of every chapter in a temporary course.

The model solution scores full marks, the untouched release scores zero,
every wrong answer in autograder/wrong-answers/ loses the points of the test
cells it names, and every other correct answer in autograder/right-answers/
keeps them all. Every graded test cell has at least one such wrong answer,
and every chapter at least one other correct answer.

Grading a notebook costs seconds (a kernel, torch, the lesson cells), so wrong
answers to different exercises share a submission: submission k holds the k-th
wrong answer of every exercise. Test cells check only their own exercise, so
one wrong answer cannot cost another's test cell its points.
"""

from __future__ import annotations

import pytest

from tests import autograding
from tests.conftest import chapter_ids

pytestmark = pytest.mark.grading


@pytest.fixture(scope="module", params=chapter_ids())
def graded(request, tmp_path_factory, fashion_mnist_root):
    chapter = request.param
    answers = autograding.solution_cells(chapter)
    submissions = {
        "solution": autograding.submission(chapter, answers),
        "untouched": autograding.submission(chapter, {}),
    }
    wrong = autograding.wrong_answers(chapter)
    right = autograding.right_answers(chapter)
    packs = {"wrong": autograding.pack(wrong), "right": autograding.pack(right)}
    for kind, packed in packs.items():
        for k, group in enumerate(packed):
            submissions[f"{kind}-{k}"] = autograding.submission(
                chapter, {**answers, **{answer.cell: answer.source for answer in group}}
            )
    root = tmp_path_factory.mktemp(f"course-{chapter}")
    scores = autograding.autograde(root, chapter, submissions)
    for kind, packed in packs.items():
        for k, group in enumerate(packed):
            for answer in group:
                scores[f"{kind}-{answer.name}"] = scores[f"{kind}-{k}"]
    return chapter, scores, wrong, right


def test_solution_scores_full_marks(graded):
    chapter, scores, *_ = graded
    points = autograding.graded_cells(chapter)
    assert scores["solution"] == points


def test_untouched_release_scores_zero(graded):
    chapter, scores, *_ = graded
    assert set(scores["untouched"]) == set(autograding.graded_cells(chapter))
    assert sum(scores["untouched"].values()) == 0, scores["untouched"]


def test_every_wrong_answer_loses_its_points(graded):
    chapter, scores, wrong, _ = graded
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
    chapter, _, wrong, _ = graded
    covered = {cell for answer in wrong for cell in answer.loses}
    uncovered = set(autograding.graded_cells(chapter)) - covered
    assert not uncovered, (
        f"{chapter}: add a wrong answer to autograder/wrong-answers/{chapter}/ "
        f"for {sorted(uncovered)}"
    )


def test_other_correct_answers_score_full_marks(graded):
    chapter, scores, _, right = graded
    points = autograding.graded_cells(chapter)
    assert right, f"{chapter}: add a correct answer to autograder/right-answers/"
    lost = {
        f"{answer.name} ({answer.style}): {cell}": scores[f"right-{answer.name}"][cell]
        for answer in right
        for cell in answer.scores
        if scores[f"right-{answer.name}"][cell] != points[cell]
    }
    assert not lost, f"correct answers that lost points: {lost}"
