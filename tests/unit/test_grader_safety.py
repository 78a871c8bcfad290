"""What the grader shows and writes cannot carry hidden tests, scripts or
formulas; a duplicated cell or a course under /tmp still grades (no kernel)."""

from __future__ import annotations

import base64
import copy
import csv
import io
import os
from pathlib import Path
from queue import Empty

import nbformat
import pytest
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

from nncourse.grade import bubblewrap
from nncourse.grade.feedback import FeedbackExporter
from nncourse.grade.record import Row, csv_text
from nncourse.grade.results import Findings, Status, classify, findings, nbgrader_error
from nncourse.grade.worker import FEEDBACK_HTML
from nncourse.preprocessors import (
    DropDuplicateCells,
    DropForeignCells,
    RedactHiddenTests,
    ReduceHiddenTestErrors,
)
from nncourse.preprocessors.cells import notes
from nncourse.preprocessors.hidden_tests import REDACTED, hidden_test_lines
from tests.helpers import answer_cell, grading_test_cell

HIDDEN = "assert secret_check(model, batch_of_seven) == 7"
SOURCE_TEST = (
    f"assert f() == 1\n### BEGIN HIDDEN TESTS\n{HIDDEN}\nimport torch\n"
    "### END HIDDEN TESTS"
)


def run(preprocessor, notebook):
    notebook, _ = preprocessor.preprocess(notebook, {})
    return notebook


# ---- hidden tests in outputs ---------------------------------------------------


def test_hidden_lines_are_those_the_release_does_not_show():
    source = new_notebook(cells=[grading_test_cell("t", SOURCE_TEST)])
    release = new_notebook(cells=[new_code_cell("import torch\nassert f() == 1")])
    assert hidden_test_lines(source, release) == [HIDDEN]


def leaking_cell():
    return new_code_cell(
        "leak()",
        outputs=[
            new_output("stream", name="stdout", text=f"honest\n    {HIDDEN}\nmore\n"),
            new_output("stream", name="stderr", text=f"x = 1; {HIDDEN}  # inline\n"),
            new_output(
                "display_data",
                data={
                    "text/html": f"<pre>{HIDDEN.replace('=', '&#61;')}</pre>"
                    f"<p>{HIDDEN}</p>",
                    "text/plain": [f"{HIDDEN}\n"],
                },
            ),
            new_output(
                "error", ename="E", evalue=HIDDEN, traceback=[f"---> 1 {HIDDEN}"]
            ),
        ],
    )


def test_every_output_of_every_cell_loses_the_hidden_lines():
    notebook = new_notebook(cells=[leaking_cell()])
    redacted = run(RedactHiddenTests(hidden_lines=[HIDDEN]), notebook)
    text = nbformat.writes(redacted)
    assert "secret_check(model, batch_of_seven)" not in text
    assert text.count(REDACTED) >= 5
    stdout = redacted.cells[0].outputs[0].text
    assert stdout == f"honest\n{REDACTED}\nmore\n"  # honest output untouched


def test_short_hidden_lines_are_only_removed_as_whole_lines():
    cell = new_code_cell(
        "", outputs=[new_output("stream", name="stdout", text="x = 1\nx = 12\n")]
    )
    redacted = run(
        RedactHiddenTests(hidden_lines=["x = 1"]), new_notebook(cells=[cell])
    )
    assert redacted.cells[0].outputs[0].text == f"{REDACTED}\nx = 12\n"


def test_a_hidden_test_cell_keeps_a_one_line_verdict():
    printed = new_output("stream", name="stdout", text=f"{HIDDEN}\n")
    error = new_output("error", ename="AssertionError", evalue="no", traceback=["x"])
    failing = grading_test_cell("h", SOURCE_TEST, outputs=[printed, error])
    passing = grading_test_cell("p", SOURCE_TEST, outputs=[copy.deepcopy(printed)])
    quiet = grading_test_cell("q", SOURCE_TEST)
    warning = new_output("stream", name="stderr", text=f"UserWarning: {HIDDEN}\n")
    warned = grading_test_cell("w", SOURCE_TEST, outputs=[printed, warning])
    cells = [failing, passing, quiet, warned]
    notebook = run(ReduceHiddenTestErrors(), new_notebook(cells=cells))
    assert [o.traceback for o in notebook.cells[0].outputs] == [["AssertionError: no"]]
    assert [o.text for o in notebook.cells[1].outputs] == ["(the hidden tests ran)"]
    assert notebook.cells[2].outputs == []
    [stderr] = notebook.cells[3].outputs
    assert stderr.name == "stderr" and HIDDEN not in stderr.text


# ---- HTML ----------------------------------------------------------------------


def feedback_page(notebook) -> str:
    exporter = FeedbackExporter(template_name="classic", **FEEDBACK_HTML)
    return exporter.from_notebook_node(notebook)[0]


def test_feedback_pages_carry_no_script_but_images_and_math():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n-an-image-").decode()
    attacks = [
        new_markdown_cell(
            "Math $x^2$ <script>alert(1)</script> <img src=x onerror=alert(2)>"
            " [link](javascript:alert(3)) <a href='https://example.org'>ok</a>"
        ),
        new_code_cell(
            "",
            outputs=[
                new_output(
                    "display_data",
                    data={
                        "text/html": "<b onmouseover=alert(4)>b</b>"
                        "<script>alert(5)</script>"
                    },
                ),
                new_output("display_data", data={"application/javascript": "alert(6)"}),
                new_output(
                    "display_data", data={"text/markdown": "<script>alert(7)</script>"}
                ),
                new_output(
                    "display_data",
                    data={
                        "image/svg+xml": "<svg onload=alert(8)>"
                        "<script>alert(9)</script></svg>"
                    },
                ),
                new_output(
                    "display_data",
                    data={
                        "text/html": "<iframe src=x></iframe>"
                        f"<img src='data:image/png;base64,{png}'>"
                    },
                ),
                new_output("display_data", data={"image/png": png}),
                new_output(
                    "execute_result", data={"text/latex": "$y^3$"}, execution_count=1
                ),
            ],
        ),
    ]
    page = feedback_page(new_notebook(cells=attacks))
    body = page[page.index("<body") :]
    for n in range(10):  # escaped text is harmless; a live script is not
        assert f"<script>alert({n})" not in body
        assert f"=alert({n})" not in body
        assert f"javascript:alert({n})" not in body
    assert "<iframe" not in body
    assert f"data:image/png;base64,{png}" in body  # the images render
    assert "$x^2$" in body and "$y^3$" in body  # and MathJax finds the math
    assert '<a href="https://example.org"' in body


# ---- CSV -----------------------------------------------------------------------


def test_csv_fields_a_spreadsheet_would_run_are_neutralised():
    rows = [
        Row(student, "01-modules", "=cell", -1.5, 2, Status.OK, message)
        for student, message in [
            ('=HYPERLINK("http://x")', "+1"),
            ("-2+3", "@SUM(A1)"),
            ("\tann", "\rbob"),
            ("plain", "A message = fine"),
        ]
    ]
    written = list(csv.reader(io.StringIO(csv_text(rows))))[1:]
    assert [row[0] for row in written] == [
        '\'=HYPERLINK("http://x")',
        "'-2+3",
        "'\tann",
        "plain",
    ]
    assert [row[6] for row in written] == [
        "'+1",
        "'@SUM(A1)",
        "'\rbob",
        "A message = fine",
    ]
    assert {row[2] for row in written} == {"'=cell"}
    assert {(row[3], row[4]) for row in written} == {("-1.5", "2")}  # numbers stay


# ---- duplicated cells ----------------------------------------------------------


def test_a_duplicated_answer_keeps_its_last_copy_and_a_test_its_first():
    first, last = answer_cell("a", "x = 0"), answer_cell("a", "x = 1")
    test, pasted = grading_test_cell("t", "assert x"), grading_test_cell("t", "pass")
    stray = new_code_cell("y = 2")
    stray.metadata["nbgrader"] = {}  # what nbgrader's own DeduplicateIds leaves
    notebook = new_notebook(cells=[first, last, test, pasted, stray])
    deduplicated = run(DropDuplicateCells(), notebook)
    assert [cell.source for cell in deduplicated.cells] == [
        "x = 0",
        "x = 1",
        "assert x",
        "y = 2",
    ]
    assert "nbgrader" not in deduplicated.cells[0].metadata  # runs, not graded
    assert deduplicated.cells[1].metadata.nbgrader["grade_id"] == "a"
    assert "nbgrader" not in deduplicated.cells[3].metadata
    assert notes(deduplicated)["duplicate_cells"] == ["a", "t"]
    found = findings(deduplicated, 10, "4 GB", [])
    status, message = classify(found)
    assert status is Status.OK
    assert message.startswith("Cell a, t appears more than once (a copied cell?)")


def test_a_cell_pasted_from_another_notebook_runs_as_plain_code():
    """Its nbgrader metadata names a grade_id this chapter lacks (or none):
    nbgrader would drop the id and fail on the cell, costing every point."""
    pasted = grading_test_cell("other-chapter-tests", "assert True")
    no_id = grading_test_cell("x", "y = 3")
    del no_id.metadata.nbgrader["grade_id"]
    notebook = new_notebook(
        cells=[answer_cell("a"), pasted, no_id, grading_test_cell("t")]
    )
    kept = run(DropForeignCells(chapter_cells=["a", "t"]), notebook)
    assert [cell.source for cell in kept.cells] == [
        "x = 1",
        "assert True",
        "y = 3",
        "assert True",
    ]
    assert "nbgrader" not in kept.cells[1].metadata
    assert "nbgrader" not in kept.cells[2].metadata
    assert kept.cells[3].metadata.nbgrader["grade_id"] == "t"
    assert notes(kept)["foreign_cells"] == ["(none)", "other-chapter-tests"]
    status, message = classify(findings(kept, 10, "4 GB", []))
    assert status is Status.OK
    assert message.startswith("A cell from another notebook ((none), other-chapter")


def test_a_notebook_without_duplicates_is_left_alone():
    notebook = new_notebook(cells=[answer_cell("a"), grading_test_cell("t")])
    before = copy.deepcopy(notebook)
    assert run(DropDuplicateCells(), notebook) == before


# ---- what nbgrader reported ----------------------------------------------------


def test_a_failure_of_nbgrader_is_told_as_it_was_not_as_a_dead_kernel():
    log = (
        "[AutogradeApp | ERROR] While processing\nTraceback...\nKeyError: 'grade_id'\n"
    )
    assert nbgrader_error(log) == "KeyError: 'grade_id'"
    status, message = classify(Findings(finished=False, nbgrader_error="KeyError: 'x'"))
    assert status is Status.CRASHED
    assert "nbgrader could not grade this notebook (KeyError: 'x')" in message
    assert "kernel died" not in message
    died = "nbclient.exceptions.DeadKernelError: Kernel died\n"
    assert nbgrader_error(died) is None
    assert "kernel died" in classify(Findings(finished=False))[1]


# ---- the sandbox ---------------------------------------------------------------


def test_the_private_tmp_is_mounted_before_what_the_kernel_reads(monkeypatch):
    under_tmp = [Path("/tmp/course/.venv"), Path("/tmp/course/data")]
    monkeypatch.setattr(bubblewrap, "read_only_paths", lambda: under_tmp)
    args = bubblewrap.mounts(
        Path("/tmp/nncourse-sandbox-x/kernels"), {"/tmp": 512 * bubblewrap.MiB}
    )
    tmpfs = args.index("--tmpfs")
    for path in under_tmp:
        assert args.index(str(path)) > tmpfs
    assert args.index("/tmp/course") > tmpfs  # its parent, made passable
    assert args[args.index("/tmp/course") - 1] == "--dir"


def test_paths_behind_a_symbolic_link_are_shown_at_both_places(tmp_path, monkeypatch):
    real = tmp_path / "real"
    (real / "bin").mkdir(parents=True)
    (tmp_path / "link").symlink_to(real)
    monkeypatch.setattr(bubblewrap.sys, "prefix", str(tmp_path / "link"))
    shown = bubblewrap.read_only_paths()
    assert tmp_path / "link" in shown and real in shown


def test_markdown_cells_reach_the_page_cleaned():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from nncourse.preprocessors.safe_html import SanitizeMarkdownCells

    source = (
        "Done <script>pwned()</script><img src=x onerror='pwned()'> "
        "[a](javascript:pwned()) $a^2$\n\n```\ncode\n\nmore\n```\n\n"
        "`[b](javascript:pwned())`"
    )
    notebook = run(
        SanitizeMarkdownCells(), new_notebook(cells=[new_markdown_cell(source)])
    )
    page = markdown2html_mistune(notebook.cells[0].source)  # as the template does
    assert "<script" not in page and "onerror" not in page
    assert 'href="javascript' not in page
    assert "$a^2$" in page and "&lt;script&gt;" in page


def test_a_lesson_cell_is_cleaned_once_and_an_edited_one_again(monkeypatch):
    from nncourse.preprocessors import safe_html

    rendered = []
    render = safe_html.markdown2html_mistune
    monkeypatch.setattr(
        safe_html,
        "markdown2html_mistune",
        lambda source: rendered.append(source) or render(source),
    )
    safe_html.sanitized_markdown.cache_clear()
    lesson = "A lesson cell, the same in every student's notebook."
    edited = lesson + " <script>pwned()</script>"
    cleaned = [
        run(safe_html.SanitizeMarkdownCells(), new_notebook(cells=[cell])).cells[0]
        for cell in map(new_markdown_cell, (lesson, lesson, edited))
    ]
    assert rendered == [lesson, edited]
    assert cleaned[0].source == cleaned[1].source
    assert "<script" not in cleaned[2].source and "pwned" in cleaned[2].source


def test_a_message_the_kernel_did_not_sign_is_dropped():
    import asyncio

    import zmq
    import zmq.asyncio
    from jupyter_client.session import Session

    from nncourse.grade.kernels import SignedMessagesOnly

    async def receive():
        context = zmq.asyncio.Context()
        receiving, sending = context.socket(zmq.PULL), context.socket(zmq.PUSH)
        receiving.bind("inproc://kernel")
        sending.connect("inproc://kernel")
        kernel, forger = Session(key=b"kernel's key"), Session(key=b"guessed")
        channel = SignedMessagesOnly(receiving, kernel)
        try:
            forger.send(sending, "execute_reply", {"status": "ok"})
            kernel.send(sending, "stream", {"text": "real"})
            real = await channel.get_msg(timeout=5)
            forger.send(sending, "execute_reply", {"status": "ok"})
            with pytest.raises(Empty):
                await channel.get_msg(timeout=0.5)
            return real
        finally:
            sending.close()
            receiving.close()
            context.term()

    assert asyncio.run(receive())["content"] == {"text": "real"}


def test_the_grader_reads_a_kernel_log_only_if_it_is_a_plain_file(tmp_path):
    from nncourse.grade.kernels import read_log

    secret = tmp_path / "gradebook.db"
    secret.write_text("the grader's")
    log = tmp_path / "kernel.log"
    log.symlink_to(secret)
    assert read_log(log) == ""
    log.unlink()
    os.mkfifo(log)  # would block a plain open()
    assert read_log(log) == ""
    log.unlink()
    log.write_text("x" * 5000)
    assert read_log(log) == "x" * 2000
    assert read_log(tmp_path / "missing.log") == ""


def test_a_kernel_gets_its_options_but_no_other_program():
    from nncourse.grade.kernels import kernel_arguments

    spec = ["/venv/bin/python", "-m", "ipykernel_launcher", "-f", "/k/c.json"]
    extra = ["--InlineBackend.figure_formats=[]", "--HistoryManager.hist_file=:memory:"]
    assert kernel_arguments([*spec, *extra], "/k/c.json") == ["-f", "/k/c.json", *extra]
    # A kernelspec that names another program still gets ipykernel, the one
    # program the fork server has imported.
    other = ["/bin/sh", "-c", "echo", "{connection_file}"]
    assert kernel_arguments(other, "/k/c.json") == ["-f", "/k/c.json"]
