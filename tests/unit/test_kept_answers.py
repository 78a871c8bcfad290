"""The kept answers in autograder/ name real cells, and cover every test.

Each kept wrong answer replaces one answer cell and names the test cells it
must fail; each kept right answer names those it must pass. Whether they do
is checked by running them (tests/test_mutants.py, every one; and
tests/test_autograde.py, the first of each exercise through the grader).
"""

from __future__ import annotations

import pytest

from tests import autograding
from tests.conftest import chapter_ids


@pytest.mark.parametrize("chapter", chapter_ids())
def test_every_kept_answer_names_real_cells(chapter):
    points = autograding.graded_cells(chapter)
    solutions = autograding.solution_cells(chapter)
    for answer in autograding.wrong_answers(chapter):
        assert answer.cell in solutions, f"{answer.name}: no answer cell {answer.cell}"
        assert answer.loses and set(answer.loses) <= set(points), answer.name
    for answer in autograding.right_answers(chapter):
        assert answer.cell in solutions, f"{answer.name}: no answer cell {answer.cell}"
        assert answer.scores and set(answer.scores) <= set(points), answer.name


@pytest.mark.parametrize("chapter", chapter_ids())
def test_every_test_cell_has_a_wrong_answer_and_every_chapter_a_right_one(chapter):
    covered = {
        cell for answer in autograding.wrong_answers(chapter) for cell in answer.loses
    }
    uncovered = set(autograding.graded_cells(chapter)) - covered
    assert not uncovered, (
        f"{chapter}: add a wrong answer to autograder/wrong-answers/{chapter}/ "
        f"for {sorted(uncovered)}"
    )
    assert autograding.right_answers(chapter), (
        f"{chapter}: add a correct answer to autograder/right-answers/{chapter}/"
    )
