"""``nncourse grade`` on chapter 01 in a temporary course, with real nbgrader.

One run grades eight students together on a two-process Dask LocalCluster: the
model solution (on time), the same a day late (under a late-work policy), the
untouched release, a student with no notebook for the chapter, a notebook that
is not JSON, one whose kernel exits, one who deleted a test cell and edited
another, and one whose answer loops forever (under a short cell time limit)
and whose other answer passes the visible test but fails the hidden one.
A smaller run re-grades some of them from a zip, through a separately started
Dask scheduler.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from nncourse import cli
from nncourse.course import Course
from nncourse.grade import GradeOptions, grade
from nncourse.grade.record import CSV_FIELDS, LATE_PENALTY, graded_cells
from tests import autograding
from tests.conftest import REPO
from tests.graded import (
    CHAPTER,
    TIMEOUT,
    by_student,
    read_csv,
    secret_lines,
    visible_text,
)
from tests.helpers import free_port, make_course, write

pytestmark = pytest.mark.grading

# Passes the visible test (batches of 5 rows) and fails the hidden one.
HIDDEN_ONLY_WRONG = """\
class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.out = nn.Linear(hidden_features, out_features)
        self.projection = None
        if in_features != out_features:
            self.projection = nn.Linear(in_features, out_features, bias=False)

    def forward(self, X):
        shortcut = X if self.projection is None else self.projection(X)
        out = self.out(torch.relu(self.hidden(X))) + shortcut
        return out if X.shape[0] == 5 else out + 1
"""
# Sleeps: a cell limit is wall time, and a spinning loop (the hostile class's)
# would take a CPU from the rest of the test suite for it.
LOOP = "import time\n\nwhile True:\n    time.sleep(0.1)\n"
# The course's late-work policy in this run: "correct" is on time, "late"
# 26 hours after the deadline (25.5 past the grace): day 2, 20 %.
LATE_POLICY = """
c.LatePolicy.deadlines = {"01-modules": "2026-11-20T13:00:00+01:00"}
c.LatePolicy.grace_minutes = 30
c.LatePolicy.penalty_per_day = 0.1
"""
CRASH = "import os\n\nos._exit(1)\n"  # the kernel dies; nbgrader drops the notebook


def make_submissions(folder: Path) -> dict[str, nbformat.NotebookNode]:
    """Both layouts; returns the gradable notebooks by student."""
    answers = autograding.solution_cells(CHAPTER)
    notebooks = {
        "correct": autograding.submission(CHAPTER, answers),
        "untouched": autograding.submission(CHAPTER, {}),
        "looping": autograding.submission(
            CHAPTER,
            {**answers, "residual-block": HIDDEN_ONLY_WRONG, "to-device": LOOP},
        ),
    }
    write(notebooks["correct"], folder / "correct" / CHAPTER / f"{CHAPTER}.ipynb")
    (folder / "correct" / CHAPTER / "timestamp.txt").write_text(
        "2026-11-20 10:00:00.000000 UTC"
    )
    write(notebooks["correct"], folder / "late" / CHAPTER / f"{CHAPTER}.ipynb")
    (folder / "late" / CHAPTER / "timestamp.txt").write_text(
        "2026-11-21 14:00:00.000000 UTC"
    )
    write(notebooks["untouched"], folder / "untouched" / f"{CHAPTER}.ipynb")
    write(notebooks["looping"], folder / "looping" / f"{CHAPTER}.ipynb")
    crashing = autograding.submission(CHAPTER, {"residual-block": CRASH})
    write(crashing, folder / "crashing" / f"{CHAPTER}.ipynb")
    tampering = autograding.submission(CHAPTER, {**answers, "predict-tests": "pass"})
    tampering.cells = [
        cell
        for cell in tampering.cells
        if autograding.grade_id(cell) != "layer-stack-tests"
    ]
    write(tampering, folder / "tampering" / f"{CHAPTER}.ipynb")
    (folder / "broken" / CHAPTER).mkdir(parents=True)
    (folder / "broken" / CHAPTER / f"{CHAPTER}.ipynb").write_text('{"cells": [')
    (folder / "absent").mkdir()
    (folder / "absent" / "notes.txt").write_text("I ran out of time.")
    return notebooks


@pytest.fixture(scope="module")
def graded(tmp_path_factory, fashion_mnist_root):
    tmp = tmp_path_factory.mktemp("grading")
    course = make_course(tmp / "course", CHAPTER)
    with open(course / "autograder" / "nbgrader_config.py", "a") as config:
        config.write(LATE_POLICY)
    submissions = tmp / "submissions"
    notebooks = make_submissions(submissions)
    out = tmp / "out"
    rows = grade(
        GradeOptions.create(
            submissions, out, chapters=[CHAPTER], timeout=TIMEOUT, course=Course(course)
        )
    )
    return course, submissions, out, rows, notebooks


def test_one_row_per_student_and_graded_cell(graded):
    _, _, out, rows, _ = graded
    csv_rows = read_csv(out / "grades.csv")
    assert list(csv_rows[0]) == CSV_FIELDS
    assert csv_rows == [row.as_csv() for row in rows]
    cells = [cell for cell, _ in graded_cells(Course(REPO), CHAPTER)]
    grouped = by_student(csv_rows)
    assert sorted(grouped) == [
        "absent",
        "broken",
        "correct",
        "crashing",
        "late",
        "looping",
        "tampering",
        "untouched",
    ]
    for student, student_rows in grouped.items():
        penalty = [LATE_PENALTY] if student == "late" else []
        assert [row["cell"] for row in student_rows] == cells + penalty
        assert {row["chapter"] for row in student_rows} == {CHAPTER}


def test_statuses_and_messages(graded):
    _, _, out, _, _ = graded
    grouped = by_student(read_csv(out / "grades.csv"))
    statuses = {
        student: {r["status"] for r in rows} for student, rows in grouped.items()
    }
    assert statuses == {
        "correct": {"ok"},
        "late": {"ok"},
        "untouched": {"ok"},
        "absent": {"missing"},
        "broken": {"invalid"},
        "looping": {"timeout"},
        "crashing": {"crashed"},
        "tampering": {"tampered"},
    }
    for student in ("absent", "broken", "crashing"):
        assert all(float(row["score"]) == 0 for row in grouped[student])
    assert "No notebook was submitted" in grouped["absent"][0]["message"]
    assert "not valid JSON" in grouped["broken"][0]["message"]
    assert "kernel died" in grouped["crashing"][0]["message"]
    limit = f"Cell to-device ran longer than the limit of {TIMEOUT} seconds"
    assert limit in grouped["looping"][0]["message"]
    assert all(row["message"] == "" for row in grouped["correct"])
    assert grouped["tampering"][0]["message"] == (
        "Test cell layer-stack-tests, predict-tests was deleted or edited in the "
        "submission; the grader put back and ran the original test."
    )


def test_scores_match_serial_nbgrader(graded, tmp_path):
    _, _, out, _, notebooks = graded
    serial = autograding.autograde(
        tmp_path,
        CHAPTER,
        {name: notebooks[name] for name in ("correct", "untouched")},
    )
    grouped = by_student(read_csv(out / "grades.csv"))
    for student, scores in serial.items():
        got = {row["cell"]: float(row["score"]) for row in grouped[student]}
        assert got == scores, student
    points = autograding.graded_cells(CHAPTER)
    assert serial["correct"] == points
    # The original tests ran in place of the deleted and the edited one.
    tampering = {row["cell"]: float(row["score"]) for row in grouped["tampering"]}
    assert tampering == points
    looping = {row["cell"]: float(row["score"]) for row in grouped["looping"]}
    assert looping == {**points, "residual-block-tests": 0, "to-device-tests": 0}


def test_real_gradebook_holds_the_scores(graded):
    from nbgrader.api import Gradebook

    course, _, out, _, _ = graded
    grouped = by_student(read_csv(out / "grades.csv"))
    db = course / "autograder" / "gradebook.db"
    with Gradebook(f"sqlite:///{db}") as gradebook:
        for student in ("correct", "untouched", "looping"):
            notebook = gradebook.find_submission_notebook(CHAPTER, CHAPTER, student)
            recorded = {grade.name: grade.score for grade in notebook.grades}
            got = {row["cell"]: float(row["score"]) for row in grouped[student]}
            assert recorded == got
        submission = gradebook.find_submission(CHAPTER, "correct")
        assert submission.timestamp.year == 2026


def test_feedback_has_no_hidden_tests(graded):
    _, _, out, _, _ = graded
    pages = sorted((out / "feedback").glob(f"*/{CHAPTER}/{CHAPTER}.html"))
    students = {page.parent.parent.name for page in pages}
    assert students == {"correct", "late", "untouched", "looping", "tampering"}
    hidden = secret_lines()
    assert len(hidden) > 50, "chapter 01's spec should have checks"
    for page in pages:
        text = visible_text(page.read_text())
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{page}: {leaked}"
    # The hidden test's failure is reported in one line, without its source.
    looping = visible_text(
        (out / "feedback" / "looping" / CHAPTER / f"{CHAPTER}.html").read_text()
    )
    assert "returns wrong values" in looping


def test_late_work_costs_what_the_policy_says(graded):
    from nbgrader.api import Gradebook

    course, _, out, _, _ = graded
    grouped = by_student(read_csv(out / "grades.csv"))
    raw = sum(float(row["score"]) for row in grouped["correct"])
    penalty = grouped["late"][-1]
    assert penalty["cell"] == LATE_PENALTY and penalty["max_score"] == "0"
    assert float(penalty["score"]) == pytest.approx(-0.2 * raw)
    assert "Submitted 25.5 hours after the deadline" in penalty["message"]
    assert "takes 20% of its score" in penalty["message"]
    assert sum(float(row["score"]) for row in grouped["late"]) == pytest.approx(
        0.8 * raw
    )
    page = (out / "feedback" / "late" / CHAPTER / f"{CHAPTER}.html").read_text()
    assert "Late work." in visible_text(page)
    assert "(day 2 late)" in visible_text(page)
    on_time = (out / "feedback" / "correct" / CHAPTER / f"{CHAPTER}.html").read_text()
    assert "Late work." not in visible_text(on_time)
    db = course / "autograder" / "gradebook.db"
    with Gradebook(f"sqlite:///{db}") as gradebook:
        late = gradebook.find_submission_notebook(CHAPTER, CHAPTER, "late")
        assert late.late_submission_penalty == pytest.approx(0.2 * raw)
        correct = gradebook.find_submission_notebook(CHAPTER, CHAPTER, "correct")
        assert not correct.late_submission_penalty


def test_a_zip_regraded_through_a_dask_scheduler_gives_the_same_rows(graded, tmp_path):
    """The command line, given a zip (as an LMS exports one) and the address
    of a separately started Dask scheduler with two workers: one run checks
    both, each a run's fixed cost."""
    course, submissions, out, _, _ = graded
    archive = tmp_path / "submissions.zip"
    kept = ("untouched", "broken", "absent")
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(submissions.rglob("*")):
            relative = path.relative_to(submissions)
            if path.is_file() and relative.parts[0] in kept:
                handle.write(path, Path("downloaded") / relative)
    address = f"tcp://127.0.0.1:{free_port()}"
    dask = str(Path(sys.executable).parent / "dask")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    processes = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                address.rsplit(":")[-1],
                "--no-dashboard",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        time.sleep(2)
        for _ in range(2):
            processes.append(
                subprocess.Popen(
                    [dask, "worker", address, "--nthreads", "1", "--no-dashboard"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        from dask.distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        result = tmp_path / "result"
        code = cli.main(
            [
                "grade",
                str(archive),
                "--out",
                str(result),
                "--course",
                str(course),
                "--chapter",
                "01",
                "--scheduler",
                address,
                "--timeout",
                str(TIMEOUT),
            ]
        )
        assert code == 0
        first = [
            row for row in read_csv(out / "grades.csv") if row["student_id"] in kept
        ]
        assert read_csv(result / "grades.csv") == first
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
