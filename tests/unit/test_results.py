"""classify(): the status and message of a notebook from what grading found."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_notebook, new_output

from nncourse.grade.results import MESSAGES, Findings, Status, classify, findings
from tests.helpers import grading_test_cell


def test_an_unremarkable_notebook_is_ok_without_message():
    assert classify(Findings()) == (Status.OK, "")


def test_notes_become_sentences_after_the_message():
    status, message = classify(Findings(notes=["cell x ran out of memory"]))
    assert (status, message) == (Status.OK, "Cell x ran out of memory.")
    found = Findings(timed_out_cell="x", cell_limit=20, notes=["a note"])
    status, message = classify(found)
    assert status == Status.TIMEOUT
    assert message == MESSAGES["timeout"].format(cell="x", limit=20) + " A note."


def test_notebooks_that_did_not_run_get_no_notes():
    assert classify(Findings(submitted=False, notes=["x"])) == (
        Status.MISSING,
        MESSAGES["missing"],
    )
    status, message = classify(Findings(unreadable="it is not JSON", notes=["x"]))
    assert status == Status.INVALID and "(it is not JSON)" in message
    assert classify(Findings(finished=False, notes=["x"])) == (
        Status.CRASHED,
        MESSAGES["crashed"],
    )
    status, message = classify(Findings(finished=False, deadline=600))
    assert status == Status.TIMEOUT and "longer than 600 seconds in all" in message


def test_precedence_edited_tests_then_timeout():
    everything = Findings(
        edited_tests=[["t1", "edited"], ["t3", "deleted"]],
        timed_out_cell="c",
        cell_limit=5,
    )
    assert classify(everything) == (
        Status.TAMPERED,
        "Test cell t1, t3 was deleted or edited in the submission; the grader "
        "put back and ran the original test.",
    )
    everything.edited_tests = []
    assert classify(everything)[0] == Status.TIMEOUT


def test_a_kernel_stopped_after_its_interrupt_says_why_later_cells_failed():
    # the stuck cell's own timeout is found too; the stop explains more
    found = Findings(timed_out_cell="c", stopped_after="c", cell_limit=5)
    assert classify(found) == (
        Status.TIMEOUT,
        "Cell c ran longer than the limit of 5 seconds and went on after it was "
        "interrupted, so its kernel was stopped and the cells after it were not run.",
    )


def test_findings_read_the_executed_notebook():
    memory = new_output("error", ename="MemoryError", evalue="", traceback=[])
    timeout = new_output("error", ename="CellTimeoutError", evalue="", traceback=[])
    big = new_code_cell("print(x)")
    big.metadata["nncourse"] = {"removed_outputs": [3 * 1024**2]}
    test = grading_test_cell("t-tests", outputs=[memory])
    notebook = new_notebook(cells=[big, test, new_code_cell("1", outputs=[timeout])])
    notebook.metadata["nncourse"] = {"edited_tests": [["t-tests", "edited"]]}
    found = findings(notebook, 20, "4 GB", ["other files were ignored"])
    assert found.timed_out_cell == "number 3"
    assert found.stopped_after is None
    notebook.metadata["nncourse"]["stopped_after"] = "number 3"
    assert findings(notebook, 20, "4 GB", []).stopped_after == "number 3"
    assert found.edited_tests == [["t-tests", "edited"]]
    assert found.notes == [
        "other files were ignored",
        "cell number 1 printed an output of 3.0 MB, which the grader removed",
        "cell t-tests ran out of memory (the limit is 4 GB)",
    ]


def test_lines_to_read_are_advice_after_every_problem():
    lines = [["a", 1, "print(In[1])", "the input history"]]
    status, message = classify(Findings(to_read=lines, notes=["a note"]))
    assert status is Status.REVIEW
    assert "graded as usual" in message and "`print(In[1])`" in message
    assert message.endswith("A note.")
    timed_out = Findings(to_read=lines, timed_out_cell="x", cell_limit=20)
    assert classify(timed_out)[0] is Status.TIMEOUT
