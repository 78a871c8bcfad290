"""``nncourse grade`` of a specced chapter: the grade is decided outside the
student's kernel (issue 19), in the sandbox, in one run.

The class: the model solution, the untouched release, the attacks in
``autograder/hostile/00-tensors/`` (each replaces one answer of the model
solution), and a student who appends a cell that looks for every trace of
the grader's checks it can reach: modules, globals, the cell history, the
environment and every readable file. Every test of the chapter is judged
outside the kernel, so the integrity scan only advises (status ``review``):
what stops the attacks is the design, not the scan.
"""

from __future__ import annotations

import csv
import re
import textwrap
from pathlib import Path

import nbformat
import pytest

from nncourse.course import Course
from nncourse.grade import GradeOptions, grade
from tests import autograding
from tests.conftest import REPO
from tests.helpers import make_course, write

pytestmark = [pytest.mark.grading, pytest.mark.sandbox]

CHAPTER = "00-tensors"
HOSTILE = REPO / "autograder" / "hostile" / CHAPTER
FIELD = re.compile(r"^# (cell|loses|status|message|attack): ?(.*)$", re.MULTILINE)
FORGED_MARK = Path("/tmp/nncourse-forged-results-ran")

# Runs after every probe; the strings it looks for are built at run time,
# so that its own source holds none of them.
LOOK_FOR_SECRETS = textwrap.dedent(
    """\
    def look_for_secrets():
        import os
        import sys

        # Lines of autograder/specs/00-tensors.py (not of the package, whose
        # helpers are public).
        secrets = ["def check_" + "standardize", "def check_" + "pick(",
                   "def pairwise_" + "cases"]
        found = []

        def look(text, where, extra=()):
            found.extend(f"{where}: {s}" for s in [*secrets, *extra] if s in text)

        with open("/tmp/control.txt", "w") as handle:
            handle.write("def check_" + "pick(")
        for name in list(sys.modules):
            if name.startswith("nncourse_" + "specs"):
                found.append(f"module {name}")
        for name, value in list(globals().items()):
            try:
                look(repr(value)[:100_000], f"global {name}")
            except Exception:
                pass
        look("\\n".join(In[:-1]), "history")
        look(repr(dict(os.environ)), "environment")
        skip = ("/proc", "/sys", "/dev", "/usr")
        for folder, folders, files in os.walk("/"):
            folders[:] = [
                name for name in folders
                if os.path.join(folder, name) not in skip
                and name != "site-packages"
            ]
            for name in files:
                path = os.path.join(folder, name)
                if name.endswith(".probes"):
                    found.append(f"file {path}: outcomes")
                # A model solution (the package's own code names the marker).
                extra = ["BEGIN " + "SOLUTION"] if name.endswith(".ipynb") else []
                if not name.endswith((".py", ".ipynb", ".json", ".txt", ".db")):
                    continue
                try:
                    if os.path.getsize(path) < 2_000_000:
                        text = open(path, errors="replace").read()
                        look(text, f"file {path}", extra)
                except OSError:
                    pass
        for line in found:
            kind = "CONTROL" if "/tmp/control.txt" in line else "SECRET"
            print(kind, "FOUND", line)


    look_for_secrets()
    """
)


def attacks() -> dict[str, dict[str, str]]:
    found = {}
    for path in sorted(HOSTILE.glob("*.py")):
        text = path.read_text()
        fields = dict(FIELD.findall(text))
        fields["source"] = FIELD.sub("", text).strip() + "\n"
        found[path.stem] = fields
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory, fashion_mnist_root):
    FORGED_MARK.unlink(missing_ok=True)
    tmp = tmp_path_factory.mktemp("judged")
    course = make_course(tmp / "course", CHAPTER)
    answers = autograding.solution_cells(CHAPTER)
    folder = tmp / "submissions"
    notebooks = {
        "correct": autograding.submission(CHAPTER, answers),
        "untouched": autograding.submission(CHAPTER, {}),
    }
    for name, attack in attacks().items():
        notebooks[name] = autograding.submission(
            CHAPTER, {**answers, attack["cell"]: attack["source"]}
        )
    snooping = autograding.submission(CHAPTER, answers)
    snooping.cells.append(nbformat.v4.new_code_cell(LOOK_FOR_SECRETS))
    notebooks["snooping"] = snooping
    for student, notebook in notebooks.items():
        write(notebook, folder / student / f"{CHAPTER}.ipynb")
    out = tmp / "out"
    options = GradeOptions.create(
        folder,
        out,
        chapters=[CHAPTER],
        workers=2,
        timeout=60,
        course=Course(course),
    )
    grade(options)
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["student_id"], []).append(row)
    return out, grouped


def scores(rows) -> dict[str, float]:
    return {row["cell"]: float(row["score"]) for row in rows}


def page(out: Path, student: str) -> str:
    return (out / "feedback" / student / CHAPTER / f"{CHAPTER}.html").read_text()


def test_the_solution_scores_full_marks_and_the_release_zero(graded):
    out, grouped = graded
    points = autograding.graded_cells(CHAPTER)
    assert scores(grouped["correct"]) == points
    assert {row["status"] for row in grouped["correct"]} == {"ok"}
    assert set(scores(grouped["untouched"]).values()) == {0.0}
    assert "Passed: " in page(out, "correct")


@pytest.mark.parametrize("name", sorted(attacks()))
def test_an_attack_earns_nothing(graded, name):
    _, grouped = graded
    attack = attacks()[name]
    points = autograding.graded_cells(CHAPTER)
    lost = set(points) if attack["loses"] == "all" else set(attack["loses"].split())
    expected = {cell: 0.0 if cell in lost else value for cell, value in points.items()}
    rows = grouped[name]
    assert scores(rows) == expected, attack["attack"]
    assert {row["status"] for row in rows} == {attack["status"]}
    assert attack["message"] in rows[0]["message"]


def test_the_feedback_gives_the_graders_message(graded):
    out, _ = graded
    assert "not a torch.Tensor" in page(out, "lying-tensor")
    assert "does not divide by the standard deviation" in page(
        out, "displayhook-credit"
    )
    assert "more than one result" in page(out, "forged-results")


def test_a_forged_pickle_never_runs_in_the_grader(graded):
    assert not FORGED_MARK.exists()


def test_no_check_or_expected_value_reaches_the_kernel(graded):
    out, grouped = graded
    text = page(out, "snooping")
    assert "CONTROL FOUND" in text  # the search works...
    assert "SECRET FOUND" not in text, re.findall(r"SECRET FOUND[^<]*", text)
    assert scores(grouped["snooping"]) == autograding.graded_cells(CHAPTER)
    snooped = grouped["snooping"][0]
    assert snooped["status"] == "review"
    assert "an instructor will read these lines" in snooped["message"]
