"""``nncourse grade --db postgresql+psycopg://...`` with a real PostgreSQL server.

The server is Debian's (``make postgresql`` installs it): a fresh cluster made
by ``initdb`` in a temporary folder, listening on 127.0.0.1 and a free port,
stopped and removed after the test.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from nncourse import cli
from tests import autograding
from tests.graded import CHAPTER, TIMEOUT, by_student, read_csv
from tests.helpers import free_port, make_course, write

pytestmark = [pytest.mark.grading, pytest.mark.postgres]


def server_programs() -> Path:
    """Debian's PostgreSQL server programs (initdb, pg_ctl)."""
    configured = os.environ.get("NNCOURSE_PG_BIN")
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    folder = Path(configured) if configured else found[-1].parent if found else None
    if folder is None or not (folder / "initdb").is_file():
        pytest.fail(
            "PostgreSQL's server programs are missing: run 'make postgresql' "
            "(sudo apt-get install postgresql) or set NNCOURSE_PG_BIN."
        )
    return folder


@pytest.fixture
def postgres_url():
    programs = server_programs()
    folder = Path(tempfile.mkdtemp(prefix="nncourse-postgres-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_owner = ["setpriv", f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}"]
        as_owner += ["--clear-groups", "--"]
    data, port = folder / "data", free_port()

    def run(program: str, *args) -> None:
        command = as_owner + [str(programs / program), *map(str, args)]
        subprocess.run(command, check=True, capture_output=True, cwd=folder)

    run("initdb", "-D", data, "-A", "trust", "-U", "grader", "-E", "UTF8", "--no-sync")
    options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off"
    run("pg_ctl", "-D", data, "-l", folder / "server.log", "-o", options, "-w", "start")
    try:
        run("createdb", "-h", "127.0.0.1", "-p", port, "-U", "grader", "gradebook")
        yield f"postgresql+psycopg://grader@127.0.0.1:{port}/gradebook"
    finally:
        run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_grades_go_to_postgresql(postgres_url, tmp_path, fashion_mnist_root):
    from nbgrader.api import Gradebook

    course = make_course(tmp_path / "course", CHAPTER)
    answers = autograding.solution_cells(CHAPTER)
    submissions = tmp_path / "submissions"
    for student, chosen in (("ann", answers), ("bob", {})):
        notebook = autograding.submission(CHAPTER, chosen)
        write(notebook, submissions / student / CHAPTER / f"{CHAPTER}.ipynb")
    out = tmp_path / "out"
    arguments = [str(submissions), "--out", str(out), "--chapter", CHAPTER]
    arguments += ["--course", str(course)]
    arguments += ["--db", postgres_url, "--timeout", str(TIMEOUT), "--workers", "2"]
    assert cli.main(["grade", *arguments]) == 0
    first = read_csv(out / "grades.csv")
    # Again: the same CSV, and still one record per student.
    assert cli.main(["grade", *arguments]) == 0
    assert read_csv(out / "grades.csv") == first
    points = autograding.graded_cells(CHAPTER)
    grouped = by_student(first)
    assert {r["cell"]: float(r["score"]) for r in grouped["ann"]} == points
    assert {float(r["score"]) for r in grouped["bob"]} == {0.0}
    with Gradebook(postgres_url) as gradebook:
        submitted = gradebook.find_assignment(CHAPTER).submissions
        assert sorted(s.student.id for s in submitted) == ["ann", "bob"]
        for student in ("ann", "bob"):
            notebook = gradebook.find_submission_notebook(CHAPTER, CHAPTER, student)
            recorded = {grade.name: grade.score for grade in notebook.grades}
            expected = {r["cell"]: float(r["score"]) for r in grouped[student]}
            assert recorded == expected
    assert not (course / "autograder" / "gradebook.db").exists()
