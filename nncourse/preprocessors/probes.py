"""The grade of a specced exercise, decided outside the student's kernel.

Around nbgrader's execution, for every test cell that its chapter's specs
(:mod:`nncourse.specs`) cover:

- :class:`InsertProbes` (before): the cell's source becomes one call of
  :func:`nncourse.probe.run` with the exercise's probe and this run's inputs,
  drawn from a seed the grader chose; no check, no expected value and no
  hidden line goes to the kernel;
- :class:`JudgeProbes` (after): the probe's display is read as plain data,
  compared in this process with the solution's outcomes on the same inputs
  (:func:`reference_outcomes`, the source notebook run through the same
  probes in a clean kernel), and the cell gets its source back and the
  verdict as its only output: a pass line, or an error with what to fix.
  nbgrader's ``SaveAutoGrades`` then scores it all or nothing.

The other test cells of a chapter run in the kernel as before.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.utils import is_solution
from traitlets import Bool, Integer, Unicode

from nncourse import specs
from nncourse.preprocessors.cells import grade_id, is_test, note, notes
from nncourse.probe import MIME, decode, encode

#: Notebook metadata (under ``nncourse``): the seed of this run's inputs.
SEED = "probe_seed"
#: Cell metadata (under ``nncourse``): a probed test cell's own source.
PROBED = "probed_source"
#: The kernel's option that leaves figures undrawn: each shows as its text
#: description (``<Figure size 700x350 with 1 Axes>``) and is closed after its
#: cell, as a drawn one would be. The solution's reference runs draw none; a
#: student's notebook none unless the instructor asks (``--figures``).
NO_FIGURES = "--InlineBackend.figure_formats=[]"
#: The seed of a run that does not choose one: one per grading process, so
#: that the solution's outcomes are computed once for all its notebooks.
PROCESS_SEED = secrets.randbits(31)


def probe_cell(
    exercise: specs.Exercise, cases: list[specs.Case], test_source: str = ""
) -> str:
    """The source that replaces a test cell in the kernel: the test cell's
    imports, then the probe."""
    return (
        f"# The grader calls your code here on inputs drawn for this run\n"
        f"# ({exercise.test}); it decides outside this kernel.\n"
        + specs.imports_of(test_source)
        + "import nncourse.probe\n"
        "nncourse.probe.run(\n"
        f"    globals(),\n    {exercise.probe_source()!r},\n"
        f"    {list(exercise.names)!r},\n"
        f"    {encode(specs.payload(cases))!r},\n"
        ")\n"
    )


def insert_probes(nb, exercises: dict[str, specs.Exercise], seed: int) -> None:
    note(nb, SEED, {"seed": seed})
    for cell in nb.cells:
        exercise = exercises.get(grade_id(cell)) if is_test(cell) else None
        if exercise is not None:
            note(cell, PROBED, {"source": cell.source})
            cell.source = probe_cell(exercise, exercise.draw(seed), cell.source)


def probe_outputs(cell) -> list:
    """The cell's probe displays: one, unless the kernel stopped before it
    (none) or code of the student's made more."""
    return [
        output.get("data", {}).get(MIME)
        for output in cell.get("outputs", [])
        if output.get("output_type") in ("display_data", "execute_result")
        and MIME in output.get("data", {})
    ]


def verdict_output(verdict: specs.Verdict):
    if verdict.passed:
        return nbformat.v4.new_output("stream", name="stdout", text=verdict.message)
    return nbformat.v4.new_output(
        "error",
        ename="AssertionError",
        evalue=verdict.message,
        traceback=[f"AssertionError: {verdict.message}"],
    )


class Probes(Preprocessor):
    """What both steps share; ``Probes.specs_folder`` configures both."""

    # nbconvert's preprocessors are off unless enabled; the record step, which
    # runs no kernel, turns these off.
    enabled = Bool(True).tag(config=True)
    specs_folder = Unicode(
        "", config=True, help="The folder of the course's specs (autograder/specs)."
    )

    def exercises(self, resources) -> dict[str, specs.Exercise]:
        chapter = resources.get("nbgrader", {}).get("assignment")
        if not self.specs_folder or not chapter:
            return {}
        return specs.load(Path(self.specs_folder) / f"{chapter}.py")


class InsertProbes(Probes):
    seed = Integer(-1, config=True, help="The inputs' seed; -1: this process's.")

    def preprocess(self, nb, resources):
        exercises = self.exercises(resources)
        if exercises:
            seed = self.seed if self.seed >= 0 else PROCESS_SEED
            insert_probes(nb, exercises, seed)
        return nb, resources


class JudgeProbes(Probes):
    reference_folder = Unicode(
        "",
        config=True,
        help="Where the solution's outcomes are kept between notebooks and "
        "processes; empty: in this process only.",
    )

    def preprocess(self, nb, resources):
        exercises = self.exercises(resources)
        seed = notes(nb).get(SEED, {}).get("seed")
        if not exercises or seed is None:
            return nb, resources
        chapter = resources["nbgrader"]["assignment"]
        expected = reference_outcomes(
            self.source_notebook(chapter),
            exercises,
            seed,
            Path(self.reference_folder) if self.reference_folder else None,
        )
        answers = {grade_id(c): c.source for c in nb.cells if is_solution(c)}
        for cell in nb.cells:
            probed = notes(cell).get(PROBED)
            if not probed or grade_id(cell) not in exercises:
                continue
            exercise = exercises[grade_id(cell)]
            verdict = specs.judge(
                exercise,
                exercise.draw(seed),
                probe_outputs(cell),
                expected[exercise.test],
                answers.get(exercise.answer, ""),
            )
            cell.source = probed["source"]
            cell.outputs = [verdict_output(verdict)]
            note(cell, PROBED, None)
        note(nb, SEED, None)
        return nb, resources

    def source_notebook(self, chapter: str) -> Path:
        from nbgrader.coursedir import CourseDirectory

        course = CourseDirectory(config=self.config)
        return Path(course.format_path(course.source_directory, ".", chapter)) / (
            f"{chapter}.ipynb"
        )


# ---- the solution's outcomes

_references: dict[str, dict[str, list]] = {}


def reference_outcomes(
    source: Path,
    exercises: dict[str, specs.Exercise],
    seed: int,
    folder: Path | None = None,
    sandbox=None,
) -> dict[str, list]:
    """test grade_id -> the solution's outcomes on this seed's cases: the
    source notebook with the probes inserted, run in a clean kernel (as
    nbgrader runs a submission; forked in ``sandbox``, a
    :class:`~nncourse.grade.sandbox.KernelSandbox`, where one is given);
    computed once per process, or once per ``folder``."""
    content = source.read_bytes()
    key = hashlib.sha256(content + repr((sorted(exercises), seed)).encode()).hexdigest()
    if key in _references:
        return _references[key]
    kept = folder / f"{key}.probes" if folder else None
    if kept is not None and kept.is_file():
        outcomes = decode(kept.read_text(), specs.OUTPUT_LIMIT)
    else:
        outcomes = run_solution(source, exercises, seed, sandbox)
        if kept is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(encode(outcomes))
    _references[key] = outcomes
    return outcomes


def run_solution(
    source: Path, exercises: dict[str, specs.Exercise], seed: int, sandbox=None
):
    from nbclient import NotebookClient
    from traitlets.config import Config

    nb = nbformat.read(source, as_version=4)
    insert_probes(nb, exercises, seed)
    settings = {
        "kernel_name": "python3",
        "timeout": 600,
        "resources": {"metadata": {"path": str(source.parent)}},
        "extra_arguments": [NO_FIGURES],
    }
    env = {**os.environ, "NBGRADER_EXECUTION": "autograde"}
    if sandbox is not None:
        from nncourse.grade.kernels import SandboxedNotebookClient

        SandboxedNotebookClient(nb, sandbox, **settings).execute(env=env)
    else:
        with tempfile.TemporaryDirectory(prefix="nncourse-reference-") as sockets:
            # Unix sockets, as in the sandbox: no TCP port (nor ipykernel's
            # warning about one) for the solution's kernel either. (nbclient
            # makes the kernel manager, and so ends the kernel.)
            unix_sockets = {
                "transport": "ipc",
                "ip": os.path.join(sockets, "kernel"),
                "connection_file": os.path.join(sockets, "kernel.json"),
            }
            config = Config({"KernelManager": unix_sockets})
            NotebookClient(nb, config=config, **settings).execute(env=env)
    outcomes = {}
    for cell in nb.cells:
        if notes(cell).get(PROBED):
            texts = probe_outputs(cell)
            if len(texts) != 1:
                raise RuntimeError(
                    f"the solution of {source.name} gave no probe result for "
                    f"{grade_id(cell)}"
                )
            outcomes[grade_id(cell)] = decode(texts[0], specs.OUTPUT_LIMIT)
    return outcomes
