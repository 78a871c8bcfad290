"""Mutation testing of the graders, its fast tier: each operator on a tiny
answer, the runner on tiny cells without notebooks, the report's counts, and
the list of equivalent mutants against the mutants the solutions make now.
tests/test_mutants.py runs the real thing.
"""

from __future__ import annotations

import ast
import multiprocessing
import textwrap

import nbformat
import pytest

from nncourse.mutation import command as mutants
from nncourse.mutation import report, runner
from nncourse.mutation.operators import OPERATORS
from nncourse.mutation.report import (
    EQUIVALENT,
    KILLED,
    SURVIVED,
    TIMEOUT,
    ExerciseReport,
    MutantResult,
)
from nncourse.mutation.solution import Solution, exercises
from tests.conftest import REPO, chapter_ids

EQUIVALENTS = REPO / "autograder" / mutants.EQUIVALENT_FILE

SIGNATURE = "def f(x, y, dim):"


def cell(answer: str, signature: str = SIGNATURE) -> str:
    """A solution cell whose answer (between the markers) is ``answer``."""
    body = textwrap.indent(textwrap.dedent(answer).strip() + "\n", "    ")
    return (
        f'{signature}\n    """Docstring: x + 1, dim=0."""\n'
        f"    ### BEGIN SOLUTION\n{body}    ### END SOLUTION\n"
    )


def unparsed(answer: str, signature: str = SIGNATURE) -> str:
    return ast.unparse(ast.parse(Solution(cell(answer, signature)).code))


# operator, answer, one of the mutants it must make (and the signature)
CASES = [
    ("arithmetic", "return x + y", "return x - y"),
    ("arithmetic", "x /= y", "x *= y"),
    ("comparison", "return x < y", "return x <= y"),
    ("comparison", "return x is None", "return x is not None"),
    ("number", "return x + 1", "return x + 2"),
    ("number", "return x * 0.5", "return x * -0.5"),
    ("boolean", "return x.all(keepdim=True)", "return x.all(keepdim=False)"),
    ("boolean", "return x and y", "return x or y"),
    ("boolean", "return not x", "return x"),
    ("unary_minus", "return -x", "return x"),
    ("remove_statement", "x.zero_()\nreturn x", "pass\nreturn x"),
    ("return_none", "return x", "return None"),
    ("dim", "return x.sum(dim=1)", "return x.sum(dim=0)"),
    ("dim", "return x.softmax(-1)", "return x.softmax(-2)"),
    ("dim", "return torch.cat([x, y], 0)", "return torch.cat([x, y], 1)"),
    ("dim", "return x.amax(dim=dim)", "return x.amax(dim=-1)"),
    ("sum_mean", "return x.sum()", "return x.mean()"),
    ("sum_mean", "return torch.mean(x)", "return torch.sum(x)"),
    ("max_min", "return x.amax(dim=1)", "return x.amin(dim=1)"),
    ("max_min", "return x.argmax(1)", "return x.argmin(1)"),
    ("zeros_ones", "return torch.zeros_like(x)", "return torch.ones_like(x)"),
    ("keepdim", "return x.sum(1, keepdim=True)", "return x.sum(1)"),
    ("detach", "return x.detach()", "return x"),
    ("detach", "return x.clone()", "return x"),
    ("no_grad", "with torch.no_grad():\n    x -= y", "x -= y"),
    ("inplace", "return x - y", "return x.sub_(y)"),
    ("inplace", "return x.clamp(min=0)", "return x.clamp_(min=0)"),
    (
        "forward",
        "return self.layer(x)",
        "return self.layer.forward(x)",
        "def f(self, x):",
    ),
    ("forward", "return model(x)", "return model.forward(x)", "def f(model, x):"),
    ("swap_operands", "return x @ y", "return y @ x"),
    ("swap_operands", "return x - y", "return y - x"),
    ("transpose", "return x.T @ y", "return x @ y"),
    ("transpose", "return x.transpose(0, 1)", "return x"),
    ("to_device", "return x.to(dim)", "return x"),
    ("bias", "return nn.Linear(2, 3)", "return nn.Linear(2, 3, bias=False)"),
    ("bias", "return nn.Linear(2, 3, bias=False)", "return nn.Linear(2, 3)"),
    ("activation", "return F.relu(x)", "return x"),
    ("activation", "return nn.ReLU()", "return nn.Identity()"),
    ("exp_log", "return torch.exp(x)", "return torch.log(x)"),
    ("exp_log", "return x.exp()", "return x"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}: {case[1]}")
def test_operator_makes_the_expected_mutant(case):
    operator, answer, expected, *signature = case
    made = {
        m.code
        for m in Solution(cell(answer, *signature)).mutants()
        if m.operator == operator
    }
    assert unparsed(expected, *signature) in made


def test_every_operator_has_a_case():
    assert {case[0] for case in CASES} == set(OPERATORS)


def test_code_outside_the_markers_is_not_mutated():
    source = 'def f(x, dim=1):\n    """x * 2 on dim 0."""\n    return x.sum(dim)\n'
    assert Solution(source).mutants() == []


def test_in_place_only_on_arguments():
    made = Solution(cell("z = y.exp()\nreturn z - y")).mutants()
    assert not [m for m in made if m.operator == "inplace" and "z.sub_" in m.code]
    assert [m for m in made if m.operator == "inplace" and "y.exp_()" in m.code]


def solution_cells():
    for chapter in chapter_ids():
        notebook = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
        for exercise in exercises(notebook):
            yield chapter, exercise


@pytest.mark.parametrize(
    "chapter, exercise",
    list(solution_cells()),
    ids=lambda value: getattr(value, "name", value),
)
def test_mutants_of_the_solutions_are_new_valid_code(chapter, exercise):
    solution = exercise.solution
    made = solution.mutants()
    assert made, "no mutant at all: are the solution markers in place?"
    for mutant in made:
        compile(mutant.code, mutant.id, "exec")  # raises if invalid
        assert mutant.code != solution.unparsed
        assert solution.diff(mutant)
    assert len({m.id for m in made}) == len(made)
    assert [m.id for m in solution.mutants()] == [m.id for m in made]  # stable


def test_equivalent_mutants_are_still_generated():
    """Each entry of autograder/mutants/equivalent.txt names a mutant the
    solution still makes: fix or drop entries when a solution changes."""
    generated = {
        (chapter, exercise.name): {m.id for m in exercise.solution.mutants()}
        for chapter, exercise in solution_cells()
    }
    stale = [
        f"{e.chapter} {e.exercise} {e.id}"
        for e in report.read_equivalents(EQUIVALENTS)
        if e.id not in generated.get((e.chapter, e.exercise), set())
    ]
    assert not stale, f"no longer generated, remove from {EQUIVALENTS}: {stale}"


def test_equivalent_entries_need_a_reason(tmp_path):
    listed = tmp_path / "equivalent.txt"
    listed.write_text("# comment\n02-layers softmax dim:1234abcd  # same sum\n")
    assert report.read_equivalents(listed)[0].reason == "same sum"
    listed.write_text("02-layers softmax dim:1234abcd\n")
    with pytest.raises(ValueError, match="reason"):
        report.read_equivalents(listed)


def test_outcomes_killed_survived_and_timeout():
    runner._start_chapter_process(
        multiprocessing.get_context("fork").BoundedSemaphore(2)
    )
    answers = [
        "def f():\n    return 1",
        "def f():\n    return 2",
        "def f():\n    while True:\n        pass",
        "raise ValueError",  # f undefined: the test cell fails
    ]
    cells = ["g = 3", "assert f() == 1"]
    outcomes, _ = runner._outcomes(answers, cells, {}, timeout=1)
    assert outcomes == [SURVIVED, KILLED, TIMEOUT, KILLED]


def test_rate_excludes_equivalent_and_counts_timeouts():
    outcomes = [KILLED, KILLED, TIMEOUT, SURVIVED, EQUIVALENT]
    exercise = ExerciseReport(
        "01-x", "e", [MutantResult(str(i), 1, "", o) for i, o in enumerate(outcomes)]
    )
    assert report.chapter_passes([exercise], 0.75)
    assert not report.chapter_passes([exercise], 0.76)
    assert "BELOW" in report.text([exercise], 0.95)
    assert not report.chapter_passes([ExerciseReport("01-x", "e", broken="fails")], 0)


def test_a_mutant_may_run_20_times_its_solution_within_the_limit():
    assert runner.mutant_timeout(0.2, limit=20) == 5  # at least 5 s
    assert runner.mutant_timeout(0.5, limit=20) == 10
    assert runner.mutant_timeout(3.0, limit=20) == 20  # at most the limit
    assert runner.mutant_timeout(0.1, limit=2) == 2
