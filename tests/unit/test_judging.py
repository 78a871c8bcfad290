"""The mutants' judge (nncourse.mutation.judging): the verdict on the first
cases stops a killed mutant early, and is the grader's verdict all the same."""

from __future__ import annotations

import nbformat
import pytest
import torch

from nncourse.mutation.judging import judge_mutant, save_reference
from nncourse.mutation.solution import exercises
from tests.conftest import REPO

CHAPTER = "02-layers"
SPECS = REPO / "autograder" / "specs" / f"{CHAPTER}.py"
TEST = "conv-output-size-tests"


@pytest.fixture
def judge(tmp_path):
    """judge(function) -> (passed, calls): the function judged as the
    chapter's conv_output_size against the solution's saved outcomes."""
    source = nbformat.read(REPO / "solutions" / CHAPTER / f"{CHAPTER}.ipynb", 4)
    [exercise] = [e for e in exercises(source) if e.name == "conv-output-size"]
    solution = {"torch": torch}
    exec(exercise.solution.code, solution)
    reference = tmp_path / "reference"
    save_reference(solution, str(SPECS), TEST, str(reference))

    def run(function) -> tuple[bool, int]:
        calls = []

        def counted(*args, **kwargs):
            calls.append(args)
            return function(len(calls), *args, **kwargs)

        namespace = {"conv_output_size": counted}
        try:
            judge_mutant(namespace, str(SPECS), TEST, str(reference), "")
        except AssertionError:
            return False, len(calls)
        return True, len(calls)

    run.solution = solution["conv_output_size"]
    return run


def test_the_solution_passes_after_every_case(judge):
    passed, calls = judge(lambda call, *a, **k: judge.solution(*a, **k))
    assert passed and calls > 4


def test_a_mutant_wrong_at_once_stops_after_the_first_case(judge):
    _, every = judge(lambda call, *a, **k: judge.solution(*a, **k))
    passed, calls = judge(lambda call, *a, **k: judge.solution(*a, **k) + 1)
    assert not passed and calls < every / 2


def test_a_mutant_wrong_only_in_the_last_call_is_killed(judge):
    _, every = judge(lambda call, *a, **k: judge.solution(*a, **k))

    def late(call, *args, **kwargs):
        return judge.solution(*args, **kwargs) + (call == every)

    assert judge(late) == (False, every)
