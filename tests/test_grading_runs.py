"""Grading runs as an instructor's machine has them: a run killed halfway
finishes when run again, with every grade once, in a course whose Python
environment and data live under /tmp. (Apart from tests/test_hostile.py,
whose one graded class is the longest fixture, so that pytest-xdist can run
these beside it.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from nncourse.grade import folders
from tests import autograding
from tests.graded import CHAPTER, TIMEOUT, by_student, read_csv, scores
from tests.helpers import make_course, write

pytestmark = [pytest.mark.grading, pytest.mark.sandbox]


#: One grading run in a process of its own: SUBMISSIONS OUT COURSE.
GRADE_RUN = textwrap.dedent(
    """
    import csv
    import sys
    from pathlib import Path
    from nncourse.course import Course
    from nncourse.grade import GradeOptions, grade
    submissions, out, course = map(Path, sys.argv[1:4])
    rows = grade(GradeOptions.create(submissions, out, chapters=[{chapter!r}],
                                     workers=1, timeout={timeout},
                                     course=Course(course)))
    # What it returns is what it wrote, the rows of a run killed before too.
    with open(out / "grades.csv", newline="") as handle:
        assert [row.as_csv() for row in rows] == list(csv.DictReader(handle))
    """
).format(chapter=CHAPTER, timeout=TIMEOUT)


def test_a_killed_run_under_tmp_finishes_when_run_again(fashion_mnist_root):
    """A run killed halfway finishes when run again, with every grade once,
    and removes the sandbox folders that the kill left. The course is under
    /tmp, and the Python environment and the data are reached through
    symbolic links there: the sandbox's private /tmp must not hide them (one
    class for both: each run has a fixed cost)."""
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="nncourse-under-tmp-") as tmp:
        tmp = Path(tmp)
        (tmp / "venv").symlink_to(Path(sys.prefix))
        (tmp / "data").symlink_to(Path(fashion_mnist_root).resolve())
        course = make_course(tmp / "course", CHAPTER)
        answers = autograding.solution_cells(CHAPTER)
        submissions = tmp / "submissions"
        for student in ("ann", "bob", "eve"):
            chosen = answers if student != "bob" else {}
            notebook = autograding.submission(CHAPTER, chosen)
            write(notebook, submissions / student / f"{CHAPTER}.ipynb")
        out = tmp / "out"
        command = [tmp / "venv" / "bin" / "python", "-c", GRADE_RUN]
        command += [submissions, out, course]
        # Its own temporary folder: the killed run's sandbox folders (and
        # their tmpfs mounts) stay there until the next run removes them,
        # not in /tmp, where another class graded beside this test
        # (test_hostile) looks for what it left.
        (tmp / "tmp").mkdir()
        environment = {
            **os.environ,
            "NNCOURSE_DATA": str(tmp / "data"),
            "TMPDIR": str(tmp / "tmp"),
        }
        try:
            killed_and_run_again(command, environment, out, course)
        finally:
            folders.sweep(str(tmp / "tmp"))  # what the kill left, if a check failed


def killed_and_run_again(command, environment, out: Path, course: Path) -> None:
    """Kill the run after its first student, run it again, check the rows
    and the gradebook."""
    from nbgrader.api import Gradebook

    run = subprocess.Popen(
        command,
        env=environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    saved = out / "executed"
    deadline = time.monotonic() + 300
    while not list(saved.glob("*/*/result.json")) and time.monotonic() < deadline:
        assert run.poll() is None, "the run ended before it could be killed"
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    finished = len(list(saved.glob("*/*/result.json")))
    assert 1 <= finished < 3 and not (out / "grades.csv").exists()

    again = subprocess.run(command, env=environment, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-3000:]
    resumed = f"Resuming: {finished} of 3 students were graded before."
    assert resumed in again.stdout
    # what the kill left (the worker's sandbox folder) is gone, and said so
    assert "sandbox folders that a killed run left behind" in again.stdout
    left = Path(environment["TMPDIR"]).glob("nncourse-sandbox-*")
    assert not list(left)
    points = autograding.graded_cells(CHAPTER)
    grouped = by_student(read_csv(out / "grades.csv"))
    assert {row["status"] for row in grouped["ann"]} == {"ok"}, grouped["ann"]
    assert scores(grouped["ann"]) == scores(grouped["eve"]) == points
    assert set(scores(grouped["bob"]).values()) == {0.0}
    gradebook = f"sqlite:///{course / 'autograder' / 'gradebook.db'}"
    with Gradebook(gradebook) as book:
        submitted = book.find_assignment(CHAPTER).submissions
        assert sorted(s.student.id for s in submitted) == ["ann", "bob", "eve"]
        for submission in submitted:
            assert len(submission.notebooks) == 1
            assert len(submission.notebooks[0].grades) == len(points)
