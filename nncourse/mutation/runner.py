"""Run each exercise's test cell against the mutants of its solution.

One process per chapter executes the source notebook's code cells in order,
as nbgrader's autograde would (``NBGRADER_EXECUTION`` set, so long lesson
cells shrink; errors outside test cells ignored). At an exercise's solution
cell it forks one child per mutant: copy-on-write gives each child the
chapter's namespace as it stands before the answer, without importing torch
or re-running the lesson. The child runs the mutated cell and the cells up to
and including the test cell (hidden tests too); the mutant is killed when
the test cell raises or the child dies, and times out when it runs too long.
The chapter process then runs the real solution and goes on.

A semaphore shared by all chapter processes holds the number of processes
working at a time (a chapter process running lesson cells, or a child) to
``jobs``.
"""

from __future__ import annotations

import contextlib
import gc
import io
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from nncourse import specs
from nncourse.course import Course
from nncourse.kept_answers import right_answers, wrong_answers
from nncourse.mutation import judging
from nncourse.mutation.command import SHORTEST_TIMEOUT, SLOWER
from nncourse.mutation.report import (
    EQUIVALENT,
    KILLED,
    SURVIVED,
    TIMEOUT,
    ExerciseReport,
    MutantResult,
)
from nncourse.mutation.solution import Exercise, Mutant, exercises

# What the chapter code sees: nbgrader's grading flag, a non-GUI matplotlib,
# and no GPU: CUDA cannot be used in a child forked after it started (the
# mutants test the tests, which do not depend on the device).
ENVIRONMENT = {
    "NBGRADER_EXECUTION": "autograde",
    "MPLBACKEND": "Agg",
    "CUDA_VISIBLE_DEVICES": "",
    "NNCOURSE_REQUIRE_CUDA": "0",
}
# The exit status of a child whose test cell ran without error.
PASSED = 0
# The unmutated solution's limit: nbgrader's own cell timeout.
BASELINE_TIMEOUT = 120
POLL_SECONDS = 0.005

_slots = None  # the semaphore, inherited by the chapter processes


@dataclass(frozen=True)
class Settings:
    exercises: frozenset[str] | None  # grade_ids to test; None: all
    equivalent: dict[str, str]  # "chapter exercise id" -> why it is equivalent
    timeout: float
    course: Course


def code_cells(notebook) -> list[str]:
    """Each cell's code without IPython magics (``%``) and shell lines (``!``)."""
    return [
        "\n".join(
            line
            for line in cell.source.splitlines()
            if not line.lstrip().startswith(("%", "!"))
        )
        if cell.cell_type == "code"
        else ""
        for cell in notebook.cells
    ]


def _execute(code: str, namespace: dict, name: str) -> bool:
    """Run one cell's code; False when it raised. Output is discarded."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            with contextlib.redirect_stderr(io.StringIO()):
                exec(compile(code, name, "exec"), namespace)
    except BaseException:  # noqa: BLE001 -- a cell's error is its outcome
        return False
    finally:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
    return True


def _child(answer: str, cells: list[str], namespace: dict) -> None:
    """In the forked child: the answer, then the cells up to the test cell
    (the last one), whose error alone kills the mutant. Never returns."""
    status = 1
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        namespace["__answer__"] = answer  # for a spec's static checks
        _execute(answer, namespace, "<answer>")
        for code in cells[:-1]:
            _execute(code, namespace, "<cell>")
        status = PASSED if _execute(cells[-1], namespace, "<test cell>") else 1
    finally:
        os._exit(status)


def _outcomes(answers: list[str], cells: list[str], namespace: dict, timeout: float):
    """Fork one child per answer, at most as many at a time as the shared
    semaphore allows; return each answer's outcome and the seconds spent."""
    outcomes: list[str] = [""] * len(answers)
    # Out of the collector's sight, the namespace is not traversed (and so
    # not copied page by page) by each child's collections.
    gc.freeze()
    pending = list(range(len(answers)))
    running: dict[int, tuple[int, float]] = {}  # pid -> (answer, start)
    started = time.monotonic()
    while pending or running:
        while pending and _slots.acquire(block=not running):
            index = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                _child(answers[index], cells, namespace)
            running[pid] = (index, time.monotonic())
        for pid, (index, start) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                del running[pid]
                _slots.release()
                if not outcomes[index]:
                    passed = os.waitstatus_to_exitcode(status) == PASSED
                    outcomes[index] = SURVIVED if passed else KILLED
            elif time.monotonic() - start > timeout and not outcomes[index]:
                outcomes[index] = TIMEOUT
                os.kill(pid, signal.SIGKILL)
        time.sleep(POLL_SECONDS)
    return outcomes, time.monotonic() - started


def _test_exercise(chapter, exercise: Exercise, cells, namespace, settings):
    test = f"{exercise.name}-tests"
    spec_path = settings.course.spec(chapter)
    if test not in specs.load(spec_path):
        following = cells[exercise.solution_index + 1 : exercise.test_index + 1]
        return _test_answers(chapter, exercise, following, namespace, settings)
    # A specced exercise: the baseline saves the solution's outcomes, and the
    # mutants are judged against them as the grader would judge them.
    before = cells[exercise.solution_index + 1 : exercise.test_index]
    imports = specs.imports_of(cells[exercise.test_index])
    with tempfile.TemporaryDirectory(prefix="nncourse-mutants-") as tmp:
        reference = Path(tmp) / "reference"
        (saved,), _ = _outcomes(
            [exercise.solution.code],
            [*before, judging.reference_cell(spec_path, test, reference, imports)],
            namespace,
            BASELINE_TIMEOUT,
        )
        if saved != SURVIVED or not reference.is_file():
            report = ExerciseReport(chapter, exercise.name)
            report.broken = f"the solution's probe fails here ({saved})"
            return report
        following = [*before, judging.judge_cell(spec_path, test, reference, imports)]
        report = _test_answers(chapter, exercise, following, namespace, settings)
        # The visible tests, the students' self-check, must not drift from
        # the spec: the solution and every kept right answer pass them too.
        visible = cells[exercise.solution_index + 1 : exercise.test_index + 1]
        right = _kept(exercise, settings, chapter)[1]
        names = ["the solution"] + [f"right answer {a.name}" for a in right]
        sources = [exercise.solution.code] + [a.source for a in right]
        outcomes, _ = _outcomes(sources, visible, namespace, BASELINE_TIMEOUT)
        report.unfair += [
            f"{name} fails the visible tests ({outcome})"
            for name, outcome in zip(names, outcomes, strict=True)
            if outcome != SURVIVED
        ]
        return report


def mutant_timeout(baseline_seconds: float, limit: float) -> float:
    """A mutant's limit: SLOWER times the solution's own run here (so that
    a machine's load scales both), at least SHORTEST_TIMEOUT and at most
    ``limit`` (the constants beside ``--timeout``'s default, in
    :mod:`nncourse.mutation.command`). A mutant that loops no longer costs
    the whole limit where the solution needs a fraction of a second."""
    return min(limit, max(SHORTEST_TIMEOUT, SLOWER * baseline_seconds))


def _test_answers(chapter, exercise: Exercise, following, namespace, settings):
    report = ExerciseReport(chapter, exercise.name)
    (baseline,), seconds = _outcomes(
        [exercise.solution.code], following, namespace, BASELINE_TIMEOUT
    )
    if baseline != SURVIVED:
        report.broken = f"the solution fails its own test cell here ({baseline})"
        return report
    mutants = exercise.solution.mutants()
    tested = [
        m for m in mutants if _key(chapter, exercise, m) not in settings.equivalent
    ]
    answers = [m.code for m in tested]
    outcomes, report.seconds = _outcomes(
        answers, following, namespace, mutant_timeout(seconds, settings.timeout)
    )
    report.unfair = _unfair_to_kept_answers(
        chapter, exercise, following, namespace, settings
    )
    outcome_of = {m.id: o for m, o in zip(tested, outcomes, strict=True)}
    for mutant in mutants:
        outcome = outcome_of.get(mutant.id, EQUIVALENT)
        result = MutantResult(mutant.id, mutant.line, mutant.description, outcome)
        if outcome == SURVIVED:
            result.diff = exercise.solution.diff(mutant)
        result.reason = settings.equivalent.get(_key(chapter, exercise, mutant), "")
        report.mutants.append(result)
    return report


def _kept(exercise: Exercise, settings: Settings, chapter: str):
    """(wrong, right): the kept answers of this exercise's test."""
    test = f"{exercise.name}-tests"
    course = settings.course
    wrong = [
        a
        for a in wrong_answers(course.kept_answers("wrong", chapter))
        if a.cell == exercise.name and test in a.loses
    ]
    right = [
        a
        for a in right_answers(course.kept_answers("right", chapter))
        if a.cell == exercise.name and test in a.scores
    ]
    return wrong, right


def _unfair_to_kept_answers(chapter, exercise, following, namespace, settings):
    """The kept answers of this exercise that the test judges unfairly: a
    wrong one that passes, a right one that fails (each is a mutant written
    by hand, run as the mutants are)."""
    wrong, right = _kept(exercise, settings, chapter)
    answers = [a.source for a in wrong + right]
    outcomes, _ = _outcomes(answers, following, namespace, BASELINE_TIMEOUT)
    unfair = [
        f"wrong answer {a.name} ({a.mistake}) passes"
        for a, o in zip(wrong, outcomes, strict=False)
        if o == SURVIVED
    ]
    unfair += [
        f"right answer {a.name} ({a.style}) fails ({o})"
        for a, o in zip(right, outcomes[len(wrong) :], strict=True)
        if o != SURVIVED
    ]
    return unfair


def _key(chapter: str, exercise: Exercise, mutant: Mutant) -> str:
    return f"{chapter} {exercise.name} {mutant.id}"


def run_chapter(chapter: str, settings: Settings) -> list[ExerciseReport]:
    """Execute the chapter's source notebook, testing the mutants of each
    selected exercise on the way; stop after the last selected test cell."""
    notebook = nbformat.read(settings.course.source(chapter), as_version=4)
    chosen = {
        exercise.solution_index: exercise
        for exercise in exercises(notebook)
        if settings.exercises is None or exercise.name in settings.exercises
    }
    if not chosen:
        return []
    last = max(exercise.test_index for exercise in chosen.values())
    os.chdir(settings.course.source(chapter).parent)
    cells, namespace, reports = code_cells(notebook), {"__name__": "__main__"}, []
    for index, code in enumerate(cells[: last + 1]):
        if index in chosen:
            reports.append(
                _test_exercise(chapter, chosen[index], cells, namespace, settings)
            )
        with _slots:
            _execute(code, namespace, f"<{chapter} cell {index}>")
    return reports


def _start_chapter_process(slots) -> None:
    """Set up a chapter process as nbgrader's kernel would be."""
    global _slots
    _slots = slots
    os.environ.update(ENVIRONMENT)
    import matplotlib
    import torch

    matplotlib.use("Agg")  # even where the parent had imported pyplot
    # The variable above is too late where the parent has asked torch already.
    torch.cuda.is_available = lambda: False


def _run_chapter_task(task: tuple[str, Settings]) -> list[ExerciseReport]:
    return run_chapter(*task)


def run(chapters: list[str], settings: Settings, jobs: int) -> list[ExerciseReport]:
    """Test the chapters in parallel; torch is imported here once, before the
    chapter processes fork from this one."""
    import torch

    from nncourse.forkserver import warm_up

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one core per process, and no thread pool to fork
    warm_up()  # once here, not in every mutant's child
    context = multiprocessing.get_context("fork")
    slots = context.BoundedSemaphore(jobs)
    try:
        with context.Pool(
            len(chapters), _start_chapter_process, (slots,), maxtasksperchild=1
        ) as pool:
            tasks = [(chapter, settings) for chapter in chapters]
            results = pool.map(_run_chapter_task, tasks, chunksize=1)
    finally:
        torch.set_num_threads(threads)
    return [report for reports in results for report in reports]
