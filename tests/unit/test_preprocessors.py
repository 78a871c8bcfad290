"""Each notebook transformation on tiny notebooks, without a kernel (in the
style of nbgrader's own ``nbgrader/tests/preprocessors/``)."""

from __future__ import annotations

import copy
import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nncourse.preprocessors import (
    CheckEditedTests,
    DefuseMarkerQuotes,
    LimitOutputSize,
    ReduceHiddenTestErrors,
    book_page,
)
from nncourse.preprocessors.cells import is_test, notes
from nncourse.preprocessors.edited_tests import sources_by_test
from nncourse.preprocessors.output_size import removed_outputs
from tests.conftest import REPO
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
    assert answer.metadata["tags"] == ["answer", "hide-input"]
    assert "HIDDEN" not in test.source and "f() != 2" not in test.source
    assert "assert f() == 1" in test.source
    assert "tags" not in lesson.metadata


# ---- output size ---------------------------------------------------------------


def test_limit_output_size_replaces_large_outputs_and_records_their_size():
    big = new_output("stream", name="stdout", text="x" * 3000)
    small = new_output("stream", name="stdout", text="ok\n")
    cell = new_code_cell("print('x' * 3000)", outputs=[small, big])
    cell.metadata["nncourse"] = {"removed_outputs": [123]}  # brought along
    notebook = run(LimitOutputSize(max_bytes=1000), new_notebook(cells=[cell]))
    kept, note = notebook.cells[0].outputs
    assert kept == small
    assert note.name == "stdout" and "removed by the grader" in note.text
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


def test_a_test_turned_into_markdown_or_raw_is_recorded():
    submitted = release()
    for index, kind in ((1, "markdown"), (2, "raw")):
        cell = submitted.cells[index]
        retyped = nbformat.from_dict(
            {"cell_type": kind, "source": cell.source, "metadata": cell.metadata}
        )
        submitted.cells[index] = retyped
    submitted.cells[2].source = "pass"  # and edited: named once
    check = CheckEditedTests(release_tests=sources_by_test(release()))
    found = notes(run(check, submitted))["edited_tests"]
    assert found == [["t2", "edited"], ["t1", "turned into a Markdown cell"]]


def test_a_quoted_marker_outside_a_test_reaches_the_page_as_text():
    from nbgrader.preprocessors import ClearHiddenTests

    quoted = "I read `### BEGIN HIDDEN TESTS` in the docs"
    cells = [
        nbformat.v4.new_markdown_cell(quoted),
        new_code_cell("### BEGIN HIDDEN TESTS\nx = 1\n### END HIDDEN TESTS"),
        answer_cell("a", "# END HIDDEN TESTS"),
        grading_test_cell("t", "assert 1\n### BEGIN HIDDEN TESTS\nassert 2"),
    ]
    cells[-1].source += "\n### END HIDDEN TESTS"
    notebook = run(DefuseMarkerQuotes(), new_notebook(cells=cells))
    notebook = run(ClearHiddenTests(), notebook)  # nbgrader's: raised before
    markdown, code, answer, test = (cell.source for cell in notebook.cells)
    assert markdown.replace("\N{NO-BREAK SPACE}", " ") == quoted
    assert "x = 1" in code and "x = 1" in code.replace("\N{NO-BREAK SPACE}", " ")
    assert answer.endswith("END\N{NO-BREAK SPACE}HIDDEN\N{NO-BREAK SPACE}TESTS")
    assert test == "assert 1"  # a real test's hidden lines still go


def outputs_of_every_kind(size: int) -> list:
    return [
        new_output("stream", name="stdout", text="o" * size),
        new_output("display_data", data={"text/plain": "d" * size}),
        new_output("stream", name="stderr", text="e" * size),
        new_output("execute_result", data={"text/plain": "0.5"}, execution_count=1),
        new_output("error", ename="AssertionError", evalue="v" * size, traceback=[]),
    ]


def test_many_small_outputs_are_capped_for_the_whole_notebook():
    cells = [
        new_code_cell("print(...)", outputs=[new_output("stream", text="x" * 1500)])
        for _ in range(80)
    ]
    limit = LimitOutputSize(max_bytes=2000, max_total_bytes=20_000, max_outputs=1000)
    notebook = run(limit, new_notebook(cells=cells))
    kept = [cell for cell in notebook.cells if "x" * 1500 in cell.outputs[0].text]
    assert 10 <= len(kept) <= 13
    assert len(json.dumps(notebook)) < 60_000
    last = notebook.cells[-1]
    assert "passed the limit of 0.02 MB or 1000 outputs in all" in last.outputs[0].text
    assert len(removed_outputs(last)) == 1


def test_the_count_of_outputs_is_capped_too():
    cell = new_code_cell("display", outputs=[new_output("stream", text="y")] * 50)
    notebook = run(LimitOutputSize(max_outputs=20), new_notebook(cells=[cell]))
    outputs = notebook.cells[0].outputs
    assert len(outputs) == 21 and "30 output(s)" in outputs[-1].text


def test_removing_outputs_never_changes_what_nbgrader_scores():
    from nbgrader.utils import determine_grade

    def graded(outputs):
        cell = new_code_cell("test", outputs=outputs)
        cell.metadata["nbgrader"] = {
            "grade": True,
            "solution": False,
            "points": 2,
            "grade_id": "t",
        }
        return cell

    for big in (3000, 10):  # over the size of one output; over the total
        everything = outputs_of_every_kind(big)
        for start in range(len(everything)):
            outputs = everything[start:] + everything[:start]
            cell = graded(outputs)
            before = determine_grade(copy.deepcopy(cell))
            limit = LimitOutputSize(max_bytes=1000, max_total_bytes=1, max_outputs=1)
            after = run(limit, new_notebook(cells=[cell])).cells[0]
            assert determine_grade(after) == before, (big, start)
            assert len(json.dumps(after.outputs)) < 1500


def test_the_exercises_edition_leaves_every_answer_out():
    from nncourse.preprocessors import book_page

    markdown_answer = nbformat.v4.new_markdown_cell("My written answer")
    markdown_answer.metadata["nbgrader"] = {"solution": True, "grade_id": "w"}
    notebook = new_notebook(
        cells=[
            answer_cell(
                "a", "### BEGIN SOLUTION\ndef f():\n    return 1\n### END SOLUTION"
            ),
            markdown_answer,
            grading_test_cell("t", "assert f() == 1"),
            new_code_cell("print('lesson')"),
        ]
    )
    full = book_page(copy.deepcopy(notebook))
    assert [c.metadata.get("tags") for c in full.cells] == [
        ["answer", "hide-input"],
        None,
        None,
        None,
    ]
    exercises = book_page(notebook, "exercises")
    tags = [cell.metadata.get("tags") for cell in exercises.cells]
    # the code answer leaves the page in the Sphinx extension, after it ran
    assert tags == [["answer", "hide-input"], ["answer", "remove-cell"], None, None]


def test_both_editions_share_one_cached_execution(tmp_path):
    """jupyter-cache hashes code cells with their metadata: a chapter's two
    book pages must hash alike, or the exercises edition runs every chapter
    again."""
    from jupyter_cache import get_cache

    from nncourse.preprocessors import book_page

    source = nbformat.read(REPO / "solutions" / "01-modules" / "01-modules.ipynb", 4)
    cache = get_cache(tmp_path / "cache")
    _, full = cache.create_hashed_notebook(book_page(copy.deepcopy(source), "full"))
    _, exercises = cache.create_hashed_notebook(book_page(source, "exercises"))
    assert full == exercises
