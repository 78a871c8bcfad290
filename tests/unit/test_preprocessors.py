"""Each notebook transformation on tiny notebooks, without a kernel (in the
style of nbgrader's own ``nbgrader/tests/preprocessors/``)."""

from __future__ import annotations

import copy
import json

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nncourse.preprocessors import (
    AddCanaries,
    CheckCanaries,
    CheckEditedTests,
    LimitOutputSize,
    ReduceHiddenTestErrors,
    book_page,
)
from nncourse.preprocessors.canaries import TAMPERED
from nncourse.preprocessors.cells import grade_id, is_test, notes
from nncourse.preprocessors.edited_tests import sources_by_test
from nncourse.preprocessors.output_size import removed_outputs
from tests.helpers import answer_cell, grading_test_cell, nbgrader_cell

ERROR = new_output("error", ename="AssertionError", evalue="wrong", traceback=[])
STDERR = new_output("stream", name="stderr", text="UserWarning: wrong\n")


def run(preprocessor, notebook):
    notebook, _ = preprocessor.preprocess(notebook, {})
    return notebook


# ---- telling cells apart -------------------------------------------------------


def test_a_test_cell_is_graded_and_no_answer():
    assert is_test(grading_test_cell("t"))
    assert not is_test(answer_cell("a"))
    assert not is_test(new_code_cell("print(1)"))
    autograded_answer = nbgrader_cell("x = 1", grade=True, solution=True, points=1)
    assert not is_test(autograded_answer)


# ---- the book ------------------------------------------------------------------


def test_book_page_hides_answers_and_removes_hidden_tests():
    notebook = new_notebook(
        cells=[
            nbgrader_cell(
                "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION",
                solution=True,
                grade=False,
                grade_id="f",
                task=False,
            ),
            grading_test_cell(
                "f-tests",
                "assert f() == 1\n### BEGIN HIDDEN TESTS\nassert f() != 2\n"
                "### END HIDDEN TESTS",
            ),
            new_code_cell("print('lesson')"),
        ]
    )
    page = book_page(notebook)
    answer, test, lesson = page.cells
    assert answer.source == "def f():\n    return 1"
    assert answer.metadata["tags"] == ["hide-input"]
    assert "HIDDEN" not in test.source and "f() != 2" not in test.source
    assert "assert f() == 1" in test.source
    assert "tags" not in lesson.metadata


# ---- canaries ------------------------------------------------------------------


WRONG = {"t": "def f(): return 0\n"}


def add_canaries(seed, tests=("t", "u")):
    """An answer cell "a", tests ``tests``, canaries for "t" placed by ``seed``."""
    cells = [answer_cell("a", "def f(): return 1\n")]
    cells += [grading_test_cell(test, "check(f)", points=3) for test in tests]
    notebook = new_notebook(cells=cells)
    adding = AddCanaries(wrong_answers=WRONG, answer_cells={"t": "a"}, seed=seed)
    return run(adding, notebook)


def roles(notebook) -> list[str]:
    return [
        notes(cell).get("canary", {}).get("role", grade_id(cell))
        for cell in notebook.cells
    ]


def test_a_canary_runs_before_or_after_its_test_then_the_answer_again():
    placements = {tuple(roles(add_canaries(seed))) for seed in range(20)}
    canary = ("answer", "test", "answer again")
    assert placements == {("a", *canary, "t", "u"), ("a", "t", *canary, "u")}


def test_each_test_is_placed_independently_and_at_random_without_a_seed():
    many = ["t"] * 12  # twelve tests with a canary each
    placements = {tuple(roles(add_canaries(None, many))) for _ in range(8)}
    assert len(placements) > 1


def test_the_canary_is_a_scored_variant_of_the_test_and_the_real_answer_again():
    notebook = add_canaries(seed=1)
    by_role = {
        role: cell for role, cell in zip(roles(notebook), notebook.cells, strict=True)
    }
    wrong, copied, again = by_role["answer"], by_role["test"], by_role["answer again"]
    assert wrong.source == WRONG["t"] and not is_test(wrong)
    assert is_test(copied) and copied.metadata.nbgrader["points"] == 3
    assert again.source == "def f(): return 1\n" and not is_test(again)
    real = by_role["t"]
    # Neither is the release's source, nor the same as the other.
    assert copied.source.startswith("check(f)\n# run ")
    assert real.source.startswith("check(f)\n# run ")
    assert copied.source != real.source


def executed_canaries(*copy_outputs):
    """A notebook with two tests and one canary whose test copy printed
    ``copy_outputs``, as after the run."""
    notebook = add_canaries(seed=3)
    copied = roles(notebook).index("test")
    notebook.cells[copied].outputs = list(copy_outputs)
    return notebook


@pytest.mark.parametrize(
    "outputs",
    [
        [ERROR],
        # nbgrader scores stderr zero: a test that only warns has failed.
        [STDERR],
        [new_output("execute_result", data={"text/plain": "0.0"})],
    ],
    ids=["error", "stderr", "zero partial credit"],
)
def test_a_canary_that_scores_zero_is_no_tampering(outputs):
    notebook = run(CheckCanaries(), executed_canaries(*outputs))
    assert roles(notebook) == ["a", "t", "u"]  # the canaries are gone
    assert [cell.source for cell in notebook.cells[1:]] == ["check(f)"] * 2
    assert not notes(notebook.cells[1])  # nor the test's original source
    assert not any(cell.outputs for cell in notebook.cells)
    assert "tampered" not in notes(notebook)


@pytest.mark.parametrize(
    "outputs",
    [[], [new_output("execute_result", data={"text/plain": "0.5"})]],
    ids=["passed", "partial credit"],
)
def test_a_canary_that_earns_points_fails_every_test(outputs):
    notebook = run(CheckCanaries(), executed_canaries(*outputs))
    assert notes(notebook)["tampered"] == ["t"]
    assert roles(notebook) == ["a", "t", "u"]
    for cell in notebook.cells[1:]:
        assert [output.ename for output in cell.outputs] == [TAMPERED]


def test_check_canaries_overrides_a_submitted_finding():
    notebook = executed_canaries(ERROR)
    notebook.metadata["nncourse"] = {"tampered": ["forged"]}
    assert "tampered" not in notes(run(CheckCanaries(), notebook))


# ---- output size ---------------------------------------------------------------


def test_limit_output_size_replaces_large_outputs_and_records_their_size():
    big = new_output("stream", name="stdout", text="x" * 3000)
    small = new_output("stream", name="stdout", text="ok\n")
    cell = new_code_cell("print('x' * 3000)", outputs=[small, big])
    cell.metadata["nncourse"] = {"removed_outputs": [123]}  # brought along
    notebook = run(LimitOutputSize(max_bytes=1000), new_notebook(cells=[cell]))
    kept, note = notebook.cells[0].outputs
    assert kept == small
    assert note.name == "stderr" and "removed by the grader" in note.text
    assert "the limit is 1 kB" in note.text
    assert removed_outputs(notebook.cells[0]) == [len(json.dumps(big))]


def test_limit_output_size_leaves_small_outputs_and_no_metadata():
    cell = new_code_cell("1", outputs=[new_output("stream", text="ok\n")])
    notebook = run(LimitOutputSize(), new_notebook(cells=[cell]))
    assert notebook.cells[0].outputs[0].text == "ok\n"
    assert "nncourse" not in notebook.cells[0].metadata


# ---- hidden tests in feedback --------------------------------------------------


def test_errors_of_hidden_tests_lose_their_traceback():
    traceback = ["Traceback", "  assert secret(1) == 2  # hidden", "AssertionError"]
    error = new_output(
        "error", ename="AssertionError", evalue="no", traceback=traceback
    )
    hidden = grading_test_cell("h", "### BEGIN HIDDEN TESTS\nassert secret(1) == 2")
    hidden.outputs = [error]
    visible = grading_test_cell("v", "assert f() == 1", outputs=[copy.deepcopy(error)])
    notebook = run(ReduceHiddenTestErrors(), new_notebook(cells=[hidden, visible]))
    assert notebook.cells[0].outputs[0].traceback == ["AssertionError: no"]
    assert notebook.cells[1].outputs[0].traceback == traceback


# ---- edited tests --------------------------------------------------------------


def release():
    return new_notebook(
        cells=[answer_cell("a"), grading_test_cell("t1"), grading_test_cell("t2")]
    )


def test_edited_and_deleted_tests_are_recorded_in_release_order():
    submitted = release()
    submitted.cells[1].source = "pass"  # t1 edited
    del submitted.cells[2]  # t2 deleted
    check = CheckEditedTests(release_tests=sources_by_test(release()))
    found = notes(run(check, submitted))["edited_tests"]
    assert found == [["t1", "edited"], ["t2", "deleted"]]


def test_untouched_tests_and_trailing_blanks_are_no_edit():
    submitted = release()
    submitted.cells[1].source += "\n\n"
    submitted.cells[0].source = "x = 2"  # an answer, not a test
    check = CheckEditedTests(release_tests=sources_by_test(release()))
    assert "nncourse" not in run(check, submitted).metadata
