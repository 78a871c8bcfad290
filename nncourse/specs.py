"""Exercise specs: how the grader judges an exercise, outside the kernel.

A chapter's specs live in ``autograder/specs/NN-topic.py`` (outside the
package, so the sandboxed kernel cannot read them). Each :class:`Exercise`
says, for one graded test cell:

- ``cases``: the inputs, drawn by the grader from a fresh seed each run,
  covering the classes a wrong answer slips through (another ``dim``, two
  different inputs of one size, float64, inputs that require grad, ...);
- ``probe``: a short function that the kernel runs on each case with the
  student's objects (:mod:`nncourse.probe`); its source is all of the spec
  that enters the kernel;
- ``check``: compares what the student's probe returned with what the
  solution's returned on the same case, in the grader, and says what to fix;
- ``forbidden``: names the answer cell must not use (the built-in the
  exercise asks you to write), checked on its syntax tree.

:func:`judge` applies one exercise to the data a kernel produced.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nncourse.probe import ERROR, NotPlainData, decode

#: The longest probe output read, in characters of base64.
OUTPUT_LIMIT = 32 * 2**20


@dataclass(frozen=True)
class Case:
    """One call of the probe: what the feedback calls it, and its inputs."""

    description: str
    inputs: dict
    seed: int = 0  # torch's seed just before the call


def call(function, args, kwargs):
    """The usual probe: call the student's function; return what it
    returned, its arguments afterwards, and whether it returned an argument
    itself or a result that requires grad."""
    out = function(*args, **kwargs)
    return {
        "out": out,
        "args": list(args),
        "returned_an_argument": any(out is arg for arg in args),
        "requires_grad": bool(getattr(out, "requires_grad", False)),
    }


@dataclass(frozen=True)
class Exercise:
    test: str  # grade_id of the test cell it grades
    answer: str  # grade_id of the answer cell (for the static checks)
    names: tuple[str, ...]  # the student's objects the probe is given
    cases: Callable[..., Iterable[Case]]  # (torch.Generator) -> cases
    check: Callable[[Case, object, object], str | None]
    probe: Callable = call
    forbidden: dict[str, str] = field(default_factory=dict)

    def probe_source(self) -> str:
        """The probe as the kernel receives it: its source, named ``probe``."""
        source = inspect.getsource(self.probe)
        return f"{source}\nprobe = {self.probe.__name__}\n"

    def draw(self, seed: int) -> list[Case]:
        """This run's cases: the same for the same seed, in every process."""
        import torch

        generator = torch.Generator().manual_seed(seed ^ zlib.crc32(self.test.encode()))
        return list(self.cases(generator))


#: CPython 3.11 keeps the AST constructor's recursion depth per interpreter,
#: not per thread, and two threads that parse at once can fail with
#: "SystemError: AST constructor recursion depth mismatch" (python/cpython
#: gh-106905 and its reports). ``nncourse grade`` prepares the solution's
#: outcomes on a thread per worker, and a CI run failed so: parsing here
#: takes turns.
_PARSING = threading.Lock()


def parse(source: str) -> ast.Module:
    """``ast.parse``, one thread at a time."""
    with _PARSING:
        return ast.parse(source)


def imports_of(test_source: str) -> str:
    """The top-level imports of a test cell: the probe that replaces it runs
    them first, so that an answer that uses a name the test cell imports
    (``F``, ``math``) finds it, as when the test cell ran."""
    try:
        tree = parse(test_source)
    except SyntaxError:
        return ""
    found = [
        ast.unparse(node)
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    return "".join(line + "\n" for line in found)


def payload(cases: list[Case]) -> list[dict]:
    """What the kernel receives of the cases: inputs and seeds, no text."""
    return [{"seed": case.seed, "inputs": case.inputs} for case in cases]


# ---- reading a course's specs


_loaded: dict[tuple[str, str], dict[str, Exercise]] = {}


def load(path: Path) -> dict[str, Exercise]:
    """test grade_id -> exercise, from a chapter's specs file (none if the
    file does not exist: that chapter's tests run in the kernel)."""
    if not path.is_file():
        return {}
    text = path.read_bytes()
    key = (str(path), hashlib.sha256(text).hexdigest())
    if key not in _loaded:
        name = "nncourse_specs_" + hashlib.sha256(str(path).encode()).hexdigest()[:12]
        loader = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
        _loaded[key] = {exercise.test: exercise for exercise in module.EXERCISES}
    return _loaded[key]


# ---- the verdict


@dataclass(frozen=True)
class Verdict:
    passed: bool
    message: str


def forbidden_uses(source: str, forbidden: dict[str, str]) -> str | None:
    """The message of the first forbidden name the answer's code uses, as a
    name it reads or an attribute (``torch.cdist``, ``cdist``; a variable of
    that name that the answer assigns is its own). An answer that does
    not parse fails in the kernel already; it is not judged here."""
    if not forbidden:
        return None
    try:
        tree = parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        used = (
            node.attr
            if isinstance(node, ast.Attribute)
            else node.id
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
            else None
        )
        if used in forbidden:
            return forbidden[used]
    return None


def _outcomes(text, count: int) -> list[dict]:
    data = decode(text, OUTPUT_LIMIT)
    if (
        type(data) is not list
        or len(data) != count
        or any(type(item) is not dict for item in data)
    ):
        raise NotPlainData(f"not a list of {count} outcomes")
    return data


def judge(
    exercise: Exercise,
    cases: list[Case],
    outputs: list,
    expected: list[dict],
    answer_source: str,
) -> Verdict:
    """The verdict on one exercise: ``outputs`` are the probe displays of
    the student's kernel (one, unless something went wrong), ``expected``
    the solution's outcomes on the same cases."""
    misuse = forbidden_uses(answer_source, exercise.forbidden)
    if misuse:
        return Verdict(False, misuse)
    if len(outputs) > 1:
        return Verdict(
            False,
            "The grader's call of your code displayed more than one result: "
            "code in the notebook replaced or wrapped the grader's probe.",
        )
    if not outputs:
        return Verdict(
            False,
            "The grader's call of your code gave no result: the kernel stopped, "
            "timed out or was interrupted before it. Run the notebook from the "
            "top in a fresh kernel and fix the first error.",
        )
    try:
        got = _outcomes(outputs[0], len(cases))
    except NotPlainData as error:
        return Verdict(
            False,
            "What your code returned to the grader is not plain data "
            f"(tensors, numbers, strings, lists, dicts): {error}.",
        )
    for case, mine, theirs in zip(cases, got, expected, strict=True):
        fault = _fault(exercise, case, mine, theirs)
        if fault:
            return Verdict(False, fault)
    return Verdict(
        True,
        f"Passed: {len(cases)} calls on inputs the grader drew for this run.",
    )


def _fault(exercise: Exercise, case: Case, mine: dict, theirs: dict) -> str | None:
    if ERROR in theirs:
        raise RuntimeError(
            f"the solution fails {exercise.test} on {case.description}: {theirs[ERROR]}"
        )
    if ERROR in mine:
        return f"{case.description} raised {mine[ERROR]}"
    if mine.get("grad_enabled") is not True:
        return (
            f"After {case.description}, autograd is switched off: the function "
            "must leave torch.is_grad_enabled() as it found it. Use "
            "`with torch.no_grad():`, which restores it."
        )
    try:
        return exercise.check(case, mine.get("result"), theirs.get("result"))
    except Exception as error:  # noqa: BLE001 -- the data is the student's
        # A result of another shape than the solution's (a string for a
        # dict, a list too short, ...) that the check did not foresee.
        return (
            f"{case.description} returned {describe(mine.get('result'))}, which "
            f"cannot be compared with the expected result "
            f"({type(error).__name__})."
        )


# ---- helpers for the checks of a spec


def first_fault(*faults):
    """The first message among ``faults`` that is not None."""
    return next((fault for fault in faults if fault), None)


def seed_of(generator) -> int:
    """A seed for a case (torch's seed before its call), drawn from the
    run's generator."""
    import torch

    return int(torch.randint(0, 2**31 - 1, (1,), generator=generator))


def wrong_tensor(got, expected, what, mistakes=(), atol=1e-5, rtol=1e-4):
    """What is wrong with ``got``: the hint of the first known mistake whose
    result it is (``mistakes``: (result, hint) pairs computed here from the
    case's inputs), or else what differs; None when it is right."""
    fault = compare_tensor(got, expected, what, atol, rtol)
    if fault is None:
        return None
    for result, hint in mistakes:
        if close(got, result, 1e-5, 1e-4):
            return f"{what} is wrong: {hint}"
    return fault


def describe(value) -> str:
    import torch

    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    if isinstance(value, str) and value.startswith("<"):
        return value.strip("<>")
    return f"a {type(value).__name__}"


def compare_tensor(
    got, expected, what: str, atol: float = 1e-5, rtol: float = 1e-4
) -> str | None:
    """What is wrong with ``got`` next to ``expected``, checked in the
    order a student fixes things: type, shape, dtype, values."""
    import torch

    if type(got) is not torch.Tensor:
        return f"{what} should be a torch.Tensor, but it is {describe(got)}."
    if got.shape != expected.shape:
        return (
            f"{what} should have shape {tuple(expected.shape)}, but it has shape "
            f"{tuple(got.shape)}."
        )
    if got.dtype != expected.dtype:
        return (
            f"{what} should have dtype {expected.dtype}, but it has dtype {got.dtype}."
        )
    if not close(got, expected, atol, rtol):
        return f"{what} returns wrong values."
    return None


def close(got, expected, atol: float = 1e-5, rtol: float = 1e-4) -> bool:
    """Same shape and values within tolerance (exactly, for integers)."""
    import torch

    if type(got) is not torch.Tensor or got.shape != expected.shape:
        return False
    if got.dtype != expected.dtype and not (
        got.is_floating_point() and expected.is_floating_point()
    ):
        return False
    if not expected.is_floating_point():
        return bool(torch.equal(got, expected))
    return bool(torch.allclose(got.double(), expected.double(), atol=atol, rtol=rtol))


def arguments_unchanged(case: Case, got: dict, expected: dict) -> str | None:
    """A message if the function changed an argument in place."""
    for index, (mine, theirs) in enumerate(
        zip(got["args"], expected["args"], strict=False)
    ):
        import torch

        if isinstance(theirs, torch.Tensor) and not close(mine, theirs, 0, 0):
            return (
                f"{case.description} changed its argument number {index + 1} in "
                "place. Compute a new tensor and leave the input as it was "
                "(no `-=`, `/=` or methods ending in `_`)."
            )
    return None
