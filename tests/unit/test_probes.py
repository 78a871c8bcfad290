"""The probe (kernel side) and the judge (grader side), without a kernel."""

from __future__ import annotations

import base64
import io
import os
import pickle

import nbformat
import pytest
import torch
from nbgrader.utils import is_solution

from nncourse import specs
from nncourse.course import Course
from nncourse.preprocessors.cells import grade_id, is_test
from nncourse.preprocessors.probes import (
    PROBED,
    insert_probes,
    probe_outputs,
    verdict_output,
)
from nncourse.probe import MIME, NotPlainData, decode, encode, plain, run_case
from tests.conftest import REPO, chapter_ids
from tests.helpers import grading_test_cell


def double(X):
    return X * 2


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def check_double(case, got, expected):
    return specs.compare_tensor(got["out"], expected["out"], case.description)


def double_cases(generator):
    X = torch.randn(3, 2, generator=generator)
    yield specs.Case("double(X) of a (3, 2) tensor", {"args": (X,), "kwargs": {}})
    yield specs.Case(
        "double(X) of a float64 (2,) tensor",
        {
            "args": (torch.randn(2, generator=generator, dtype=torch.float64),),
            "kwargs": {},
        },
    )


EXERCISE = specs.Exercise(
    test="double-tests",
    answer="double",
    names=("double",),
    cases=double_cases,
    check=check_double,
    forbidden={"mul": "double uses mul: write X * 2."},
)


def outcomes_of(function, seed=1) -> list[dict]:
    scope: dict = {}
    exec(EXERCISE.probe_source(), scope)
    cases = decode(encode(specs.payload(EXERCISE.draw(seed))), 10**8)
    return [run_case(scope["probe"], [function], case) for case in cases]


def verdict(function, source="", seed=1) -> specs.Verdict:
    expected = decode(encode(outcomes_of(double, seed)), 10**8)
    return specs.judge(
        EXERCISE,
        EXERCISE.draw(seed),
        [encode(outcomes_of(function, seed))],
        expected,
        source,
    )


def test_the_cases_are_the_same_for_a_seed_and_differ_between_seeds():
    first, again, other = EXERCISE.draw(7), EXERCISE.draw(7), EXERCISE.draw(8)
    assert torch.equal(first[0].inputs["args"][0], again[0].inputs["args"][0])
    assert not torch.equal(first[0].inputs["args"][0], other[0].inputs["args"][0])


def test_a_right_answer_passes_and_a_wrong_one_is_told_what_to_fix():
    assert verdict(lambda X: X + X).passed
    wrong = verdict(lambda X: X * 3)
    assert not wrong.passed
    assert wrong.message == "double(X) of a (3, 2) tensor returns wrong values."
    dtype = verdict(lambda X: (X * 2).float())
    assert "should have dtype torch.float64" in dtype.message


def test_an_error_and_autograd_left_off_are_wrong():
    def raises(X):
        raise NotImplementedError()

    assert verdict(raises).message.endswith("raised NotImplementedError: ")

    def leaves_grad_off(X):
        torch.set_grad_enabled(False)
        return X * 2

    message = verdict(leaves_grad_off).message
    assert "autograd is switched off" in message
    assert torch.is_grad_enabled()  # the probe put it back


def test_a_tensor_subclass_is_no_tensor_whatever_it_claims():
    class Agreeable(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            if getattr(func, "__name__", "") in ("allclose", "equal"):
                return True
            return super().__torch_function__(func, types, args, kwargs or {})

    assert plain(torch.zeros(2).as_subclass(Agreeable)).startswith("<a Agreeable")
    result = verdict(lambda X: torch.zeros_like(X).as_subclass(Agreeable))
    assert "should be a torch.Tensor" in result.message


def test_what_is_not_plain_data_is_refused_and_never_run(tmp_path):
    mark = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {mark}",))

    text = base64.b64encode(pickle.dumps([Payload()])).decode()
    with pytest.raises(NotPlainData):
        decode(text, 10**6)
    assert not mark.exists()

    buffer = io.BytesIO()
    torch.save([LyingFloat(1.0)], buffer)
    with pytest.raises(NotPlainData):
        decode(base64.b64encode(buffer.getvalue()).decode(), 10**6)
    with pytest.raises(NotPlainData, match="longer than"):
        decode(encode([torch.zeros(100)]), 100)


def test_forged_or_missing_results_score_nothing():
    cases = EXERCISE.draw(1)
    expected = outcomes_of(double)
    garbage = specs.judge(EXERCISE, cases, ["bm90IGEgcGlja2xl"], expected, "")
    assert "not plain data" in garbage.message
    assert "no result" in specs.judge(EXERCISE, cases, [], expected, "").message
    twice = [encode(expected)] * 2
    assert "more than one" in specs.judge(EXERCISE, cases, twice, expected, "").message
    short = specs.judge(EXERCISE, cases, [encode(expected[:1])], expected, "")
    assert not short.passed


def test_a_forbidden_name_fails_statically_even_when_the_values_are_right():
    message = verdict(lambda X: X.mul(2), "def double(X):\n    return X.mul(2)\n")
    assert message == specs.Verdict(False, "double uses mul: write X * 2.")
    # Text that only mentions the name is no use of it.
    assert verdict(double, "# mul would do\ndef double(X):\n    return X * 2\n").passed


def test_an_argument_changed_in_place_is_named():
    case = specs.Case("f(X)", {"args": (torch.ones(2),), "kwargs": {}})
    got = {"args": [torch.zeros(2)]}
    expected = {"args": [torch.ones(2)]}
    assert "changed its argument number 1" in specs.arguments_unchanged(
        case, got, expected
    )


def test_insert_probes_keeps_the_test_and_sends_no_check_to_the_kernel():
    test = grading_test_cell("double-tests", "assert double(1) == 2  # visible")
    notebook = nbformat.v4.new_notebook(cells=[test])
    insert_probes(notebook, {"double-tests": EXERCISE}, seed=3)
    source = notebook.cells[0].source
    assert "nncourse.probe.run(" in source
    assert "def call(function" in source  # the probe...
    assert "check_double" not in source and "compare_tensor" not in source
    assert (
        notebook.cells[0].metadata["nncourse"][PROBED]["source"].endswith("# visible")
    )


def test_the_verdict_is_all_or_nothing_for_nbgrader():
    from nbgrader.utils import determine_grade

    cell = grading_test_cell("double-tests", points=3)
    cell.outputs = [verdict_output(specs.Verdict(True, "Passed: 2 calls."))]
    assert determine_grade(cell)[0] == 3
    cell.outputs = [verdict_output(specs.Verdict(False, "wrong"))]
    assert determine_grade(cell)[0] == 0


def test_only_probe_displays_are_read():
    cell = grading_test_cell("double-tests")
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "2"}),
        nbformat.v4.new_output("display_data", data={MIME: "abc"}),
    ]
    assert probe_outputs(cell) == ["abc"]


def test_a_result_the_check_cannot_read_is_a_wrong_answer_not_a_crash():
    cases = EXERCISE.draw(1)
    expected = outcomes_of(double)
    forged = [{"result": "not a dict", "grad_enabled": True} for _ in cases]
    result = specs.judge(EXERCISE, cases, [encode(forged)], expected, "")
    assert not result.passed
    assert "cannot be compared" in result.message


@pytest.mark.parametrize("chapter", chapter_ids())
def test_every_test_cell_of_the_course_is_judged_by_a_spec(chapter):
    """No test runs in the student's kernel: each graded test cell has its
    spec in autograder/specs/, and each spec grades a test cell that exists
    (with an answer cell it names)."""
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    tests = {grade_id(cell) for cell in source.cells if is_test(cell)}
    answers = {grade_id(cell) for cell in source.cells if is_solution(cell)}
    judged = specs.load(Course(REPO).spec(chapter))
    assert tests == set(judged), f"autograder/specs/{chapter}.py"
    assert {exercise.answer for exercise in judged.values()} <= answers


def test_a_variable_named_like_a_forbidden_name_is_the_answers_own():
    assert specs.forbidden_uses("mul = 2\n", EXERCISE.forbidden) is None
    assert specs.forbidden_uses("y = mul(2)\n", EXERCISE.forbidden)


def test_the_probe_runs_the_test_cells_imports_first():
    source = (
        "import math\nfrom torch.nn import functional as F\n\nassert double(1) == 2\n"
    )
    assert specs.imports_of(source) == (
        "import math\nfrom torch.nn import functional as F\n"
    )
    test = grading_test_cell("double-tests", source)
    notebook = nbformat.v4.new_notebook(cells=[test])
    insert_probes(notebook, {"double-tests": EXERCISE}, seed=3)
    probe = notebook.cells[0].source
    assert "from torch.nn import functional as F\n" in probe
    assert "assert double(1)" not in probe
