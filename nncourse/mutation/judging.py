"""Mutation testing of a specced exercise, judged as the grader judges it.

In a mutant's child process (:mod:`.runner`), the test cell is replaced by
one call here: the exercise's probe runs on this run's cases in the child
(:func:`nncourse.probe.run_case`), then :func:`nncourse.specs.judge` compares
the outcomes with the solution's, which the baseline child saved. A mutant is
killed when the verdict fails, exactly as its notebook would lose the points.
The judge stops at the first fault, so its verdict on the first 1, 2, 4, ...
cases already kills most mutants: they do not run the rest (a fifth less CPU
for ``nncourse mutants``); one that passes them is judged on every case.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from nncourse import specs
from nncourse.probe import decode, encode, load_probe, run_case

#: The seed of the mutants' cases: fixed, so that a report can be repeated.
SEED = 20261203


def _each_outcome(
    namespace: dict, exercise: specs.Exercise, cases: list[specs.Case]
) -> Iterator[dict]:
    """The probe's outcome on each of ``cases`` in turn, as a kernel would
    run them (their inputs sent as the grader sends them)."""
    probe = load_probe(exercise.probe_source())
    sent = decode(encode(specs.payload(cases)), specs.OUTPUT_LIMIT)
    missing = [name for name in exercise.names if name not in namespace]
    if missing:
        raise NameError(f"{missing} not defined")
    objects = [namespace[name] for name in exercise.names]
    for case in sent:
        yield run_case(probe, objects, case)


def save_reference(namespace: dict, specs_path: str, test: str, out: str) -> None:
    """In the baseline child: the solution's outcomes, to ``out``."""
    exercise = specs.load(Path(specs_path))[test]
    outcomes = list(_each_outcome(namespace, exercise, exercise.draw(SEED)))
    Path(out).write_text(encode(outcomes))


def judge_mutant(
    namespace: dict, specs_path: str, test: str, reference: str, answer: str
) -> None:
    """In a mutant's child: raise AssertionError unless it passes."""
    exercise = specs.load(Path(specs_path))[test]
    expected = decode(Path(reference).read_text(), specs.OUTPUT_LIMIT)
    cases = exercise.draw(SEED)
    outcomes = []
    for outcome in _each_outcome(namespace, exercise, cases):
        outcomes.append(outcome)
        count = len(outcomes)
        if count < len(cases) and count & (count - 1) == 0:
            # The verdict on the first 1, 2, 4, ... cases: the judge stops at
            # the first fault, so one here is the verdict on all of them,
            # and most mutants need not run the rest.
            _raise_unless_passed(exercise, cases[:count], outcomes, expected, answer)
    _raise_unless_passed(exercise, cases, outcomes, expected, answer)


def _raise_unless_passed(exercise, cases, outcomes, expected, answer) -> None:
    verdict = specs.judge(
        exercise, cases, [encode(outcomes)], expected[: len(cases)], answer
    )
    if not verdict.passed:
        raise AssertionError(verdict.message)


def reference_cell(specs_path: Path, test: str, out: Path, imports: str) -> str:
    return (
        imports + "import nncourse.mutation.judging\n"
        "nncourse.mutation.judging.save_reference(\n"
        f"    globals(), {str(specs_path)!r}, {test!r}, {str(out)!r})\n"
    )


def judge_cell(specs_path: Path, test: str, reference: Path, imports: str) -> str:
    """The test cell of a mutant's child (after the test cell's own imports,
    as in grading); the answer it judges statically is the one the child ran
    (``__answer__``)."""
    return (
        imports + "import nncourse.mutation.judging\n"
        "nncourse.mutation.judging.judge_mutant(\n"
        f"    globals(), {str(specs_path)!r}, {test!r}, {str(reference)!r},\n"
        "    __answer__)\n"
    )
