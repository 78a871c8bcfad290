"""Hostile and broken submissions, graded in one run beside a correct one.

Each attack in ``autograder/hostile/01-modules/`` replaces one answer cell of
the model solution; its header says which cell, the status and message the
grader must give, and which tests must lose their points (``all``: every one).
Beside them: a notebook of the wrong nbformat, a notebook that is a symbolic
link to the solutions, extra files, and names that are not UTF-8. (Invalid
JSON, a missing notebook and deleted or edited test cells are graded in
tests/test_grading.py.) The run must finish; the correct student must get full
marks; no attack may earn a point the model solution's answers did not.

Also here: grading refuses to start without bubblewrap unless told --unsafe.
(A run killed halfway, and a course under /tmp: tests/test_grading_runs.py.)
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from nncourse.course import Course
from nncourse.grade import GradeOptions, bubblewrap, cgroups, grade
from nncourse.grade.collect import student_id
from nncourse.grade.results import MESSAGES
from nncourse.preprocessors.cells import is_test
from nncourse.preprocessors.integrity import scan
from tests import autograding
from tests.conftest import REPO
from tests.graded import (
    CHAPTER,
    TIMEOUT,
    by_student,
    read_csv,
    scores,
    secret_lines,
    visible_text,
)
from tests.helpers import make_course, write

pytestmark = [pytest.mark.grading, pytest.mark.sandbox]

HOSTILE = REPO / "autograder" / "hostile" / CHAPTER
FIELD = re.compile(
    r"^# (cell|loses|status|message|attack|accept|needs|may-stop): ?(.*)$",
    re.MULTILINE,
)
# Seconds before a notebook's sandbox is killed, whatever runs in it: the
# attack that slows every cell sleeps this long. It must leave room, on a
# loaded machine, for the kernel's start and the other cells (seconds) plus
# the longest stop: the interrupt-ignoring attack's cell limit, nbclient's
# 4 s and the grace (the cell limit again).
NOTEBOOK_TIMEOUT = 4 * TIMEOUT
MEMORY_LIMIT = 2 * 2**30  # bytes (the message says "2 GB")
NOT_UTF8 = os.fsdecode(b"caf\xe9")  # Latin-1 bytes: not a UTF-8 name
NOT_UTF8_EITHER = os.fsdecode(b"caf\xe8")
FORMULA_ID = "=1+2"
MARKDOWN_SCRIPT = (
    "Done! <script>pwned()</script><img src=x onerror='pwned()'> "
    "[link](javascript:pwned()) $a^2$"
)


@dataclass
class Attack:
    name: str
    cell: str
    loses: list[str]
    status: str
    message: str
    attack: str
    source: str
    accepted: bool  # graded as if the instructor accepted it after a flag
    needs: str  # "control-group": the outcome holds where one can be made
    #: its processes may keep its kernel from answering after the interrupt
    #: (on a loaded machine): then the notebook ends at its cell
    may_stop: bool


def attacks() -> list[Attack]:
    found = []
    for path in sorted(HOSTILE.glob("*.py")):
        text = path.read_text()
        fields = dict(FIELD.findall(text))
        assert fields.keys() >= {"cell", "loses", "status", "message", "attack"}, path
        found.append(
            Attack(
                name=path.stem,
                cell=fields["cell"],
                loses=fields["loses"].split(),
                status=fields["status"],
                message=fields["message"],
                attack=fields["attack"],
                source=FIELD.sub("", text).strip() + "\n",
                accepted=fields.get("accept") == "yes",
                needs=fields.get("needs", ""),
                may_stop=fields.get("may-stop") == "yes",
            )
        )
    return found


def make_hostile_class(folder: Path) -> None:
    answers = autograding.solution_cells(CHAPTER)
    correct = autograding.submission(CHAPTER, answers)
    write(correct, folder / "correct" / f"{CHAPTER}.ipynb")
    for attack in attacks():
        notebook = autograding.submission(
            CHAPTER, {**answers, attack.cell: attack.source}
        )
        write(notebook, folder / attack.name / f"{CHAPTER}.ipynb")
    # nbformat 3: the notebook format of IPython 2.
    old = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}
    (folder / "old-format").mkdir()
    (folder / "old-format" / f"{CHAPTER}.ipynb").write_text(json.dumps(old))
    # The "notebook" is a link to the model solution on the grader's disk.
    (folder / "linked").mkdir()
    source = REPO / "solutions" / CHAPTER / f"{CHAPTER}.ipynb"
    (folder / "linked" / f"{CHAPTER}.ipynb").symlink_to(source)
    # Extra files, one named in Latin-1, and a link to the solutions.
    extra = folder / "extra-files"
    write(correct, extra / f"{CHAPTER}.ipynb")
    (extra / "helper.py").write_text("raise SystemExit('imported!')\n")
    (extra / f"{NOT_UTF8}.txt").write_text("notes")
    (extra / "solutions").symlink_to(REPO / "solutions")
    # Two student folders whose names are not UTF-8 and differ only there:
    # two students, both graded (an id replacing the byte made them one).
    write(correct, folder / NOT_UTF8 / f"{CHAPTER}.ipynb")
    write(correct, folder / NOT_UTF8_EITHER / f"{CHAPTER}.ipynb")
    # A student id that a spreadsheet would run as a formula.
    write(correct, folder / FORMULA_ID / f"{CHAPTER}.ipynb")
    # A script in a Markdown cell of an otherwise correct notebook.
    marked = copy.deepcopy(correct)
    marked.cells.insert(1, nbformat.v4.new_markdown_cell(MARKDOWN_SCRIPT))
    write(marked, folder / "markdown-script" / f"{CHAPTER}.ipynb")
    write(duplicated_cells(correct), folder / "duplicated" / f"{CHAPTER}.ipynb")
    write(pasted_from_elsewhere(correct), folder / "pasted" / f"{CHAPTER}.ipynb")
    for kind in RETYPED_TESTS:
        write(retyped_test(correct, kind), folder / f"{kind}-test" / f"{CHAPTER}.ipynb")
    write(quoting_markers(correct), folder / "quotes-markers" / f"{CHAPTER}.ipynb")
    # 5 MB of data pasted into a cell: past what the grader reads (its scan
    # would take a minute), refused before any of it is read.
    pasted = copy.deepcopy(correct)
    pasted.cells.insert(1, nbformat.v4.new_code_cell("data = " + "[1.5]*0+" * 700_000))
    write(pasted, folder / "pasted-data" / f"{CHAPTER}.ipynb")


RETYPED_TESTS = {"markdown": "a Markdown cell", "raw": "a raw cell"}


def retyped_test(correct, kind: str):
    """A test cell turned into Markdown or raw (its metadata kept, as
    JupyterLab's cell type menu does): put back, run, and named."""
    notebook = copy.deepcopy(correct)
    index = next(
        i
        for i, cell in enumerate(notebook.cells)
        if autograding.grade_id(cell) == "layer-stack-tests"
    )
    cell = notebook.cells[index]
    notebook.cells[index] = nbformat.from_dict(
        {"cell_type": kind, "source": cell.source, "metadata": cell.metadata}
    )
    return notebook


def quoting_markers(correct):
    """nbgrader's hidden-test markers quoted in a Markdown cell and in code:
    nbgrader's ClearHiddenTests stops there, so no feedback page was made."""
    notebook = copy.deepcopy(correct)
    notebook.cells[1:1] = [
        nbformat.v4.new_markdown_cell("The book says `### BEGIN HIDDEN TESTS`."),
        nbformat.v4.new_code_cell(
            "### BEGIN HIDDEN TESTS\nmarkers = 'quoted'\n### END HIDDEN TESTS"
        ),
    ]
    return notebook


def pasted_from_elsewhere(correct):
    """A test cell pasted from another chapter, with that chapter's nbgrader
    metadata (a grade_id this chapter lacks), and one whose metadata lost its
    grade_id: both run as plain code, and the answers keep full marks."""
    notebook = copy.deepcopy(correct)
    other = nbformat.read(REPO / "notebooks" / "02-layers" / "02-layers.ipynb", 4)
    foreign = next(cell for cell in other.cells if is_test(cell))
    foreign.source = "print('pasted from chapter 02')"
    damaged = copy.deepcopy(foreign)
    del damaged.metadata["nbgrader"]["grade_id"]
    notebook.cells[2:2] = [foreign, damaged]
    return notebook


def duplicated_cells(correct):
    """JupyterLab's copy and paste: an earlier, wrong copy of an answer cell
    above the final one, and a pasted copy of a test cell that passes."""
    notebook = copy.deepcopy(correct)
    ids = [autograding.grade_id(cell) for cell in notebook.cells]
    answer = ids.index("make-mlp")
    draft = copy.deepcopy(notebook.cells[answer])
    draft.source = "def make_mlp(sizes):\n    return None\n"
    test = ids.index("predict-tests")
    pasted = copy.deepcopy(notebook.cells[test])
    pasted.source = "pass"
    notebook.cells.insert(test + 1, pasted)
    notebook.cells.insert(answer, draft)
    return notebook


def in_use(folder: Path) -> bool:
    """Whether a running process names ``folder`` on its command line (a
    sandbox's bubblewrap binds its folders by path)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(folder).encode() in cmdline.read_bytes():
                return True
        except OSError:  # the process ended meanwhile
            continue
    return False


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, fashion_mnist_root):
    tmp = tmp_path_factory.mktemp("hostile")
    course = make_course(tmp / "course", CHAPTER)
    # A course's own memory limit, smaller than the default: the memory
    # attacks reach it sooner (this machine zeroes about 0.4 GB a second).
    with (course / "autograder" / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.KernelSandbox.memory_limit = {MEMORY_LIMIT}\n")
    make_hostile_class(tmp / "submissions")
    out = tmp / "out"
    sandboxes = set(Path(tempfile.gettempdir()).glob("nncourse-sandbox-*"))
    started = time.monotonic()
    options = GradeOptions.create(
        tmp / "submissions",
        out,
        chapters=[CHAPTER],
        workers=2,
        timeout=TIMEOUT,
        notebook_timeout=NOTEBOOK_TIMEOUT,
        course=Course(course),
        accept=[f"{attack.name}/{CHAPTER}" for attack in attacks() if attack.accepted],
    )
    grade(options)
    print(f"hostile class graded in {time.monotonic() - started:.0f} s")
    new = set(Path(tempfile.gettempdir()).glob("nncourse-sandbox-*")) - sandboxes
    # pytest-xdist grades other classes beside this one: their sandboxes are
    # new too, but a live process still names them
    left = {folder for folder in new if not in_use(folder)}
    assert not left, f"sandbox folders left behind: {sorted(left)}"
    return course, out, by_student(read_csv(out / "grades.csv")), fashion_mnist_root


def test_the_correct_student_gets_full_marks(hostile):
    _, _, grouped, _ = hostile
    points = autograding.graded_cells(CHAPTER)
    students = ("correct", "extra-files", "markdown-script", "pasted")
    students += ("quotes-markers",)
    students += (student_id(NOT_UTF8), student_id(NOT_UTF8_EITHER))
    for student in students + ("'" + FORMULA_ID,):
        assert scores(grouped[student]) == points, student
        assert {row["status"] for row in grouped[student]} == {"ok"}


@pytest.mark.parametrize("attack", attacks(), ids=lambda attack: attack.name)
def test_attack(hostile, attack):
    if attack.needs == "control-group" and not cgroups.available():
        pytest.skip("no control group can be made here: see book/instructors.md")
    _, _, grouped, _ = hostile
    rows = grouped[attack.name]
    points = autograding.graded_cells(CHAPTER)
    lost = set(points) if attack.loses == ["all"] else set(attack.loses)
    expected = {cell: 0.0 if cell in lost else value for cell, value in points.items()}
    if attack.may_stop and scores(rows) != expected:
        # the grader's stop: the cell and every test after it score 0
        first = min(list(points).index(cell) for cell in lost)
        stopped = {
            cell: 0.0 if index >= first else value
            for index, (cell, value) in enumerate(points.items())
        }
        assert scores(rows) == stopped, attack.attack
        stop = MESSAGES["stopped"].format(cell=attack.cell, limit=TIMEOUT)
        assert stop in rows[0]["message"], rows[0]["message"]
        return
    assert scores(rows) == expected, attack.attack
    # "status: A | B" with "message: a | b": either outcome, with its message
    # (a fork bomb's children can starve its kernel past the cell limit on
    # a loaded machine: either way the cell loses its points, nothing else).
    outcomes = dict(
        zip(attack.status.split(" | "), attack.message.split(" | "), strict=True)
    )
    (status,) = {row["status"] for row in rows}
    assert status in outcomes, (status, attack.attack)
    assert outcomes[status] in rows[0]["message"], rows[0]["message"]


def test_a_test_turned_into_another_kind_of_cell_is_named(hostile):
    _, out, grouped, _ = hostile
    for kind, named in RETYPED_TESTS.items():
        rows = grouped[f"{kind}-test"]
        assert scores(rows) == autograding.graded_cells(CHAPTER), kind
        assert {row["status"] for row in rows} == {"tampered"}
        assert f"layer-stack-tests was turned into {named}" in rows[0]["message"]
        assert (
            out / "feedback" / f"{kind}-test" / CHAPTER / f"{CHAPTER}.html"
        ).is_file()


def test_quoted_markers_keep_the_feedback_page(hostile):
    _, out, grouped, _ = hostile
    page = out / "feedback" / "quotes-markers" / CHAPTER / f"{CHAPTER}.html"
    assert "markers" in visible_text(page.read_text())
    assert grouped["quotes-markers"][0]["message"] == ""


def test_an_accepted_attack_was_flagged_first():
    for attack in attacks():
        if attack.accepted:
            assert scan(attack.source), attack.name


def test_a_duplicated_cell_is_graded_and_named(hostile):
    _, _, grouped, _ = hostile
    rows = grouped["duplicated"]
    assert scores(rows) == autograding.graded_cells(CHAPTER)
    assert {row["status"] for row in rows} == {"ok"}
    assert rows[0]["message"] == (
        "Cell make-mlp, predict-tests appears more than once (a copied cell?): "
        "the last copy of an answer and the original test were graded."
    )


def test_a_formula_is_no_formula_in_the_csv(hostile):
    _, out, grouped, _ = hostile
    assert FORMULA_ID not in grouped
    text = (out / "grades.csv").read_text()
    assert not re.search(r"^[=+\-@]", text, re.MULTILINE)


LIVE_SCRIPT = [
    re.compile(r"<script[^>]*>[^<]*pwned", re.IGNORECASE),
    re.compile(r"<[^>]*\son\w+\s*=[^>]*pwned", re.IGNORECASE),
    re.compile(r"<[^>]*javascript:", re.IGNORECASE),
    re.compile(r"<(iframe|object|embed)\b", re.IGNORECASE),
]


def test_feedback_runs_no_student_script(hostile):
    _, out, _, _ = hostile
    for student in ("script-in-feedback", "markdown-script"):
        page = (out / "feedback" / student / CHAPTER / f"{CHAPTER}.html").read_text()
        body = page[page.index("<body") + 5 :]
        assert "pwned" in body  # shown, as text
        assert [p.pattern for p in LIVE_SCRIPT if p.search(body)] == [], student
        assert "$a^2$" in body or student != "markdown-script"


def test_broken_files(hostile):
    _, _, grouped, _ = hostile
    old = grouped["old-format"][0]
    assert old["status"] == "invalid"
    assert "nbformat 3; the course uses 4" in old["message"]
    pasted = grouped["pasted-data"][0]
    assert pasted["status"] == "invalid"
    assert "too large to grade: it holds 5.6" in pasted["message"]
    linked = grouped["linked"][0]
    assert linked["status"] == "invalid"
    assert "symbolic link" in linked["message"]
    for student in ("old-format", "linked", "pasted-data"):
        assert all(float(row["score"]) == 0 for row in grouped[student])
    ignored = grouped["extra-files"][0]["message"]
    assert "Other files in the submission were ignored: " in ignored
    for name in ("helper.py", "solutions", student_id(NOT_UTF8) + ".txt"):
        assert name in ignored


def test_nothing_outside_the_sandbox_changed(hostile):
    from nbgrader.api import Gradebook

    course, out, grouped, data = hostile
    assert not (Path(data) / "pwned.txt").exists()
    db = course / "autograder" / "gradebook.db"
    with Gradebook(f"sqlite:///{db}") as gradebook:
        for student in ("correct", "writes-gradebook", "patches-checks"):
            notebook = gradebook.find_submission_notebook(CHAPTER, CHAPTER, student)
            recorded = {grade.name: grade.score for grade in notebook.grades}
            assert recorded == scores(grouped[student]), student
            manual = [grade.manual_score for grade in notebook.grades]
            assert manual == [None] * len(manual)


def test_feedback_never_shows_hidden_tests(hostile):
    _, out, _, _ = hostile
    pages = sorted((out / "feedback").glob(f"*/{CHAPTER}/{CHAPTER}.html"))
    assert len(pages) >= 10
    hidden = secret_lines()
    for page in pages:
        text = visible_text(page.read_text())
        assert not [line for line in hidden if line in text], page
        assert len(page.read_bytes()) < 5_000_000, page  # the 100 MB output is gone


def test_grading_refuses_to_run_without_bubblewrap(monkeypatch, tmp_path):
    monkeypatch.setattr(bubblewrap, "bwrap_path", lambda: None)
    with pytest.raises(SystemExit) as stopped:
        grade(GradeOptions.create(tmp_path, tmp_path / "out", chapters=[CHAPTER]))
    message = str(stopped.value)
    assert "apt-get install bubblewrap" in message
    assert "--unsafe" in message
