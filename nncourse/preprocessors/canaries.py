"""Catch a submission that makes failing tests pass.

nbgrader scores a test cell by its outputs. Code in a student's cell can
arrange that no test ever fails: replace ``torch.testing.assert_close`` or a
check of ``nncourse.checks`` with a function that accepts everything, register
an IPython input transformer that empties test cells, swallow exceptions with
a custom handler, ...

Each such trick also makes a test pass that must fail. So, before nbgrader
runs a submission, :class:`AddCanaries` puts, beside every test cell, one of
the grader's own wrong answers (:mod:`nncourse.wrong_answers`), a copy of the
test cell it must fail, and the student's own answer cell again (so that the
cells after it see the student's answer). Whether a canary runs just before or
just after its real test is drawn afresh for every test of every notebook, and
the real test and its copy each end with a random comment, so that neither
"the second time a source runs" nor "a source other than the release's" tells
them apart. After the run, :class:`CheckCanaries` scores each copy as nbgrader
would (:func:`nbgrader.utils.determine_grade`: an error or anything on stderr
scores zero, a number is partial credit), removes the canaries and the
comments; if a copy earned points, the kernel was tampered with: every test
cell of the notebook gets an error, so that nbgrader scores it zero, and the
notebook's metadata names the copies that passed.

What a canary cannot catch, the instructor guide says: a trick that swallows
errors only where the wrong answer is the one defined, say, still tells them
apart; the integrity scan (:mod:`.integrity`) flags the tools such tricks need.
"""

from __future__ import annotations

import copy
import random

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.utils import determine_grade, is_solution
from traitlets import Bool, Dict, Integer, Unicode

from nncourse.preprocessors.cells import grade_id, is_test, note, notes

TAMPERED = "GradingTampered"
TAMPERED_MESSAGE = (
    "code in this notebook made a test pass that must fail (test {cells}); "
    "no test of this notebook earns points"
)
#: Notebook metadata (under ``nncourse``): the tests whose canary passed.
FOUND = "tampered"
#: Cell metadata (under ``nncourse``): a test's source before its comment.
UNMARKED = "unmarked_source"


def _canary(cell) -> dict:
    return notes(cell).get("canary", {})


def _marked(source: str, draw: random.Random) -> str:
    return source.rstrip("\n") + f"\n# run {draw.getrandbits(64):016x}\n"


def _cell(source: str, test: str, role: str):
    cell = nbformat.v4.new_code_cell(source)
    note(cell, "canary", {"test": test, "role": role})
    return cell


class AddCanaries(Preprocessor):
    """Put a wrong answer, a copy of its test and the student's answer again
    before or after each test cell that has a wrong answer."""

    enabled = Bool(True)
    wrong_answers = Dict(
        Unicode(), help="test grade_id -> a wrong answer's source"
    ).tag(config=True)
    answer_cells = Dict(
        Unicode(), help="test grade_id -> the answer cell its wrong answer replaces"
    ).tag(config=True)
    seed = Integer(
        None, allow_none=True, help="fixes where canaries go (tests only)"
    ).tag(config=True)

    def _canaries(self, test, answers, draw) -> list:
        name = grade_id(test)
        copied = _cell(_marked(test.source, draw), name, "test")
        copied.metadata.nbgrader = copy.deepcopy(test.metadata.nbgrader)
        cells = [_cell(self.wrong_answers[name], name, "answer"), copied]
        student = answers.get(self.answer_cells.get(name))
        if student is not None:
            cells.append(_cell(student.source, name, "answer again"))
        return cells

    def preprocess(self, nb, resources):
        draw = random.SystemRandom() if self.seed is None else random.Random(self.seed)
        answers = {grade_id(cell): cell for cell in nb.cells if is_solution(cell)}
        cells = []
        for cell in nb.cells:
            if is_test(cell):  # nothing a submission planted here survives
                note(cell, UNMARKED, None)
            if not is_test(cell) or grade_id(cell) not in self.wrong_answers:
                cells.append(cell)
                continue
            canaries = self._canaries(cell, answers, draw)
            note(cell, UNMARKED, {"source": cell.source})
            cell.source = _marked(cell.source, draw)
            before = draw.random() < 0.5
            cells += canaries + [cell] if before else [cell] + canaries
        nb.cells = cells
        return nb, resources


def earned_points(cell, log=None) -> bool:
    """Whether nbgrader would give the executed test cell any points."""
    score, _ = determine_grade(cell, log)
    return bool(score)


class CheckCanaries(Preprocessor):
    """Remove the canaries and the run comments; if a test copy earned
    points, fail every test cell."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        passed = [
            _canary(cell)["test"]
            for cell in nb.cells
            if _canary(cell).get("role") == "test"
            and is_test(cell)
            and earned_points(cell, self.log)
        ]
        nb.cells = [cell for cell in nb.cells if not _canary(cell)]
        for cell in filter(is_test, nb.cells):
            if UNMARKED in notes(cell):
                cell.source = notes(cell)[UNMARKED]["source"]
                note(cell, UNMARKED, None)
        note(nb, FOUND, passed)
        if passed:
            message = TAMPERED_MESSAGE.format(cells=", ".join(passed))
            for cell in filter(is_test, nb.cells):
                cell.outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename=TAMPERED,
                        evalue=message,
                        traceback=[f"{TAMPERED}: {message}"],
                    )
                )
        return nb, resources
