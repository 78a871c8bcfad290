"""``nncourse similarity``: a copy of the solution with its names changed is
found, and so are two students with one answer; the release's own code is
no match; the page shows students' code as text only."""

from __future__ import annotations

import csv
import io
import re

from nncourse import cli
from nncourse.course import Course
from nncourse.similarity import SOLUTION, similarity
from tests import autograding
from tests.conftest import REPO
from tests.helpers import write

CHAPTER = "01-modules"
#: Every name the solution's answers choose, changed.
RENAMES = {
    "layers": "stack",
    "sizes": "widths",
    "hidden": "inner",
    "model": "net",
    "X": "batch",
    "logits": "scores",
    "device": "where",
}


def renamed(source: str) -> str:
    for old, new in RENAMES.items():
        source = re.sub(rf"\b{old}\b", new, source)
    return source


def make_results(folder, students: dict[str, dict[str, str]]) -> None:
    for student, answers in students.items():
        notebook = autograding.submission(CHAPTER, answers)
        write(notebook, folder / "executed" / student / CHAPTER / f"{CHAPTER}.ipynb")


def test_copies_are_found_and_the_release_is_no_match(tmp_path):
    solution = autograding.solution_cells(CHAPTER)
    disguised = {cell: renamed(source) for cell, source in solution.items()}
    script = {next(iter(solution)): "x = '</pre><script>alert(1)</script>'\n"}
    make_results(
        tmp_path,
        {
            "ann": disguised,
            "bob": disguised,
            "cat": {},  # the untouched release
            "dan": {},
            "=eve": script,
        },
    )
    pairs = similarity(Course(REPO), tmp_path, [CHAPTER], threshold=0.6)
    found = {(p.first.owner, p.second.owner): p.similarity for p in pairs}
    assert found[("ann", "bob")] == (1.0, 1.0)
    assert min(found[("ann", SOLUTION)]) > 0.8  # the names changed, not the code
    assert not any({"cat", "dan"} & {a, b} for a, b in found)
    page = (tmp_path / "similarity.html").read_text()
    assert "<script>" not in page and "<mark>" in page
    rows = list(csv.reader(io.StringIO((tmp_path / "similarity.csv").read_text())))
    assert rows[0][:3] == ["chapter", "first", "second"]
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_page_shows_the_most_alike_and_the_table_lists_all(tmp_path, monkeypatch):
    from nncourse import similarity as module

    monkeypatch.setattr(module, "SHOWN", 2)
    solution = autograding.solution_cells(CHAPTER)
    make_results(tmp_path, {name: solution for name in ("a", "b", "c", "d")})
    pairs = similarity(Course(REPO), tmp_path, [CHAPTER], threshold=0.6)
    assert len(pairs) == 10  # six pairs of students, four with the solution
    page = (tmp_path / "similarity.html").read_text()
    assert page.count("<section>") == 2 and "lists all 10" in page
    assert len((tmp_path / "similarity.csv").read_text().splitlines()) == 11


def test_the_command_writes_the_report_into_the_results(tmp_path, capsys):
    solution = autograding.solution_cells(CHAPTER)
    make_results(tmp_path, {"ann": solution, "bob": {}})
    argv = ["similarity", str(tmp_path), "--chapter", "01"]
    assert cli.main(argv) == 0
    assert "1 pair" in capsys.readouterr().out
    assert (tmp_path / "similarity.html").is_file()
    assert cli.main(["similarity", str(tmp_path / "nowhere")]) == 2
