"""Catch a submission that makes failing tests pass.

nbgrader scores a test cell by whether its output holds an error. Code in a
student's cell can arrange that no test ever errs: replace
``torch.testing.assert_close`` or a check of ``nncourse.checks`` with a function
that accepts everything, register an IPython input transformer that empties
test cells, swallow exceptions with a custom handler, ...

Each such trick also makes a test pass that must fail. So, before nbgrader
runs a submission, :class:`AddCanaries` appends, for every test cell, one of
the grader's own wrong answers (``autograder/wrong-answers/``) followed by an
exact copy of the test cell it must fail. After the run, :class:`CheckCanaries`
removes them; if a copy did not fail, the kernel was tampered with, and every
test cell of the notebook gets an error, so that nbgrader scores it zero.

A trick that tells the copies from the originals (by counting executions,
say) is not caught; the instructor guide says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Dict, Unicode

HEADER = re.compile(r"^# (cell|loses|mistake): (.+)$", re.MULTILINE)
TAMPERED = "GradingTampered"
TAMPERED_MESSAGE = (
    "code in this notebook made a test pass that must fail (test {cells}); "
    "no test of this notebook earns points"
)


@dataclass
class WrongAnswer:
    """A plausible wrong answer to one exercise, kept with the grader."""

    name: str
    cell: str  # grade_id of the solution cell it replaces
    loses: list[str]  # grade_ids of the test cells that must score zero
    mistake: str
    source: str

    @classmethod
    def read(cls, path: Path) -> WrongAnswer:
        text = path.read_text()
        fields = dict(HEADER.findall(text))
        missing = {"cell", "loses", "mistake"} - fields.keys()
        if missing:
            raise ValueError(f"{path} lacks the header lines {sorted(missing)}")
        return cls(
            name=path.stem,
            cell=fields["cell"].strip(),
            loses=fields["loses"].split(),
            mistake=fields["mistake"].strip(),
            source=HEADER.sub("", text).strip() + "\n",
        )


def wrong_answers(folder: Path) -> list[WrongAnswer]:
    """The wrong answers of one chapter (``autograder/wrong-answers/CH``)."""
    return [WrongAnswer.read(path) for path in sorted(folder.glob("*.py"))]


def canary_sources(folder: Path) -> dict[str, str]:
    """test grade_id -> source of a wrong answer that test must fail."""
    chosen: dict[str, str] = {}
    for answer in wrong_answers(folder):
        for test in answer.loses:
            chosen.setdefault(test, answer.source)
    return chosen


def _test_cells(notebook):
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            yield cell, meta["grade_id"]


def _canary(cell) -> dict:
    return cell.metadata.get("nncourse", {}).get("canary", {})


class AddCanaries(Preprocessor):
    """Append a wrong answer and a copy of its test cell for each test cell."""

    enabled = Bool(True)
    wrong_answers = Dict(
        Unicode(), help="test grade_id -> a wrong answer's source"
    ).tag(config=True)

    def preprocess(self, nb, resources):
        canaries = []
        for cell, grade_id in _test_cells(nb):
            wrong = self.wrong_answers.get(grade_id)
            if wrong is None:
                continue
            for role, source in (("answer", wrong), ("test", cell.source)):
                marker = {"nncourse": {"canary": {"test": grade_id, "role": role}}}
                canaries.append(nbformat.v4.new_code_cell(source, metadata=marker))
        nb.cells.extend(canaries)
        return nb, resources


class CheckCanaries(Preprocessor):
    """Remove the canaries; if a test copy passed, fail every test cell."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        passed = [
            _canary(cell)["test"]
            for cell in nb.cells
            if _canary(cell).get("role") == "test"
            and not any(
                o.get("output_type") == "error" for o in cell.get("outputs", [])
            )
        ]
        nb.cells = [cell for cell in nb.cells if not _canary(cell)]
        if passed:
            message = TAMPERED_MESSAGE.format(cells=", ".join(passed))
            for cell, _ in _test_cells(nb):
                cell.outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename=TAMPERED,
                        evalue=message,
                        traceback=[f"{TAMPERED}: {message}"],
                    )
                )
            nb.metadata.setdefault("nncourse", {})["tampered"] = passed
        return nb, resources
