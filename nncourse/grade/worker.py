"""Step 4, on a Dask worker: grade one student's notebooks.

:func:`grade_student` copies the template course into a private temporary
folder with a throwaway gradebook, and takes the worker's sandbox
(:mod:`nncourse.grade.pool`); :func:`grade_chapter` runs ``nbgrader
autograde`` in-process on one notebook, with the kernel in the sandbox
(:mod:`nncourse.grade.sandbox`) and the course's preprocessors
(:mod:`nncourse.preprocessors`) in nbgrader's two passes, classifies what they
found, and makes the feedback page (hidden tests removed).
"""

from __future__ import annotations

import copy
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
from traitlets.config import Config

from nncourse import specs
from nncourse.course import put_environment_on_path
from nncourse.grade.collect import Submission
from nncourse.grade.kernels import grading_api, kernel_sandbox
from nncourse.grade.options import GradeOptions
from nncourse.grade.prepare import PROBES, Template
from nncourse.grade.quiet import warnings_kept
from nncourse.grade.reading import submitted_notebook
from nncourse.grade.results import (
    Findings,
    Result,
    classify,
    findings,
    nbgrader_error,
)
from nncourse.grade.sandbox import KernelSandbox
from nncourse.late import LatePolicy
from nncourse.pipeline import inserted, nbgrader_steps
from nncourse.preprocessors import (
    CheckEditedTests,
    DefuseMarkerQuotes,
    DropDuplicateCells,
    DropForeignCells,
    LateNotice,
    LimitOutputSize,
    RedactHiddenTests,
    ReduceHiddenTestErrors,
    ScanIntegrity,
)
from nncourse.preprocessors.cells import grade_id, is_test, notes
from nncourse.preprocessors.edited_tests import sources_by_test
from nncourse.preprocessors.hidden_tests import hidden_test_lines
from nncourse.preprocessors.integrity import FOUND as FLAGGED
from nncourse.preprocessors.integrity import UNREADABLE, instructor_sources
from nncourse.preprocessors.probes import NO_FIGURES, InsertProbes, JudgeProbes
from nncourse.preprocessors.safe_html import SanitizeMarkdownCells

#: nbconvert's HTMLExporter options for feedback pages.
FEEDBACK_HTML = {
    "sanitize_html": True,
    "filters": {"clean_html": "nncourse.preprocessors.safe_html.clean_feedback_html"},
}


def grade_student(
    student: str,
    submissions: list[Submission],
    template: Template,
    options: GradeOptions,
    sandbox_notebooks: int = 0,
) -> dict[str, Result]:
    """chapter -> result of each of one student's submissions. The kernels
    run in this worker's sandbox (:mod:`nncourse.grade.pool`), which is to
    run about ``sandbox_notebooks`` notebooks in the whole run (this
    student's, if not said)."""
    notebooks = sandbox_notebooks or len(submissions)
    with private_course(template, options, notebooks) as (course, config, sandbox):
        return {
            submission.chapter: grade_chapter(
                course, submission, config, options, sandbox
            )
            for submission in submissions
        }


@contextmanager
def private_course(
    template: Template, options: GradeOptions, sandbox_notebooks: int
) -> Iterator[tuple[Path, Config, KernelSandbox | None]]:
    """(course, its nbgrader config, sandbox): the template copied into a
    private temporary course, and this worker's sandbox, which is to run
    about ``sandbox_notebooks`` notebooks in the whole run."""
    put_environment_on_path()
    with tempfile.TemporaryDirectory(prefix="nncourse-grade-") as tmp:
        course = Path(tmp)
        template.write(course)
        config = autograde_config(course, options)
        wanted = options.limits.sandbox
        with kernel_sandbox(config, wanted, sandbox_notebooks, pooled=True) as box:
            yield course, config, box


#: nbconvert validates the notebook after each of a pass's preprocessors, some
#: twenty per notebook; once, after the last, finds the same faults.
VALIDATE_ONCE = {"Exporter": {"optimistic_validation": True}}


def _pipelines(execute) -> dict:
    """nbgrader's autograde and feedback preprocessors, with the course's
    inserted (:mod:`nncourse.pipeline`)."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearOutput,
        Execute,
        LimitOutput,
    )

    sanitize = inserted(
        nbgrader_steps(Autograde, "sanitize_preprocessors"),
        ClearOutput,
        before=[
            DropDuplicateCells,  # nbgrader stops at a duplicated grade_id
            DropForeignCells,  # and fails on another notebook's grade_id
            CheckEditedTests,  # before OverwriteCells puts the tests back
        ],
    )
    autograde = inserted(
        nbgrader_steps(Autograde, "autograde_preprocessors"),
        Execute,
        before=[InsertProbes],  # a specced test cell calls the student's code
        instead=execute,
        after=[JudgeProbes],  # decided here, outside the kernel
    )
    autograde = inserted(autograde, LimitOutput, after=[LimitOutputSize])
    feedback = inserted(
        nbgrader_steps(GenerateFeedback),
        CSSHTMLHeaderPreprocessor,
        before=[
            LateNotice,
            DefuseMarkerQuotes,  # nbgrader stops at a quoted marker
            ReduceHiddenTestErrors,
            RedactHiddenTests,
            ClearHiddenTests,
            SanitizeMarkdownCells,
        ],
    )
    return {
        "Autograde": {
            "sanitize_preprocessors": sanitize,
            "autograde_preprocessors": autograde,
        },
        "GenerateFeedback": {
            "exporter_class": "nncourse.grade.feedback.FeedbackExporter",
            "preprocessors": feedback,
        },
    }


def autograde_config(course: Path, options: GradeOptions) -> Config:
    """The course's nbgrader config, pointed at the private ``course``, with
    the grader's preprocessors and limits."""
    from nncourse.grade.execute import GradedExecute
    from nncourse.grade.kernels import SandboxedExecute

    limits = options.limits
    overrides = {
        "CourseDirectory": {
            "root": str(course),
            "db_url": f"sqlite:///{course / 'gradebook.db'}",
            "submitted_directory": "submitted",
            "autograded_directory": "autograded",
            "feedback_directory": "feedback",
        },
        # A deleted test cell is put back from the source and run.
        "OverwriteCells": {
            "add_missing_cells": True,
            "missing_cell_notification": "# {cell_id}: put back by the grader\n",
        },
        **_pipelines(SandboxedExecute if limits.sandbox else GradedExecute),
        # A feedback page shows what a student's notebook displayed: nbconvert
        # escapes its scripts, event handlers and unsafe markup.
        "HTMLExporter": FEEDBACK_HTML,
        **VALIDATE_ONCE,
        # nbgrader fails the whole notebook when a cell's outputs do not end
        # within 4 s of its reply (as after a fork bomb); a missing error output
        # is still recorded, from the reply, by nbgrader's Execute.
        "Execute": {
            "raise_on_iopub_timeout": False,
            "timeout": limits.cell_timeout,
            "extra_arguments": execute_extra_arguments(options),
        },
        **limits.sandbox_config(),
        # This run's inputs, and the solution's outcomes on them (prepared).
        "Probes": {"specs_folder": str(options.course.specs)},
        "InsertProbes": {"seed": options.probe_seed},
        "JudgeProbes": {"reference_folder": str(course / PROBES)},
    }
    return options.config_with(overrides)


def execute_extra_arguments(options: GradeOptions) -> list[str]:
    """The course's ``Execute.extra_arguments``, and :data:`NO_FIGURES`
    unless the instructor asked for figures."""
    chosen = list(options.config.Execute.get("extra_arguments", []))
    return chosen if options.figures else [*chosen, NO_FIGURES]


def _extra_files(submission: Submission) -> list[str]:
    if not submission.extra:
        return []
    names = ", ".join(submission.extra[:5])
    more = len(submission.extra) - 5
    names += f" and {more} more" if more > 0 else ""
    return [f"other files in the submission were ignored: {names}"]


def _submit(course: Path, submission: Submission, notebook) -> None:
    """Put the notebook where nbgrader looks for it."""
    folder = course / "submitted" / submission.student / submission.chapter
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{submission.chapter}.ipynb")
    if submission.timestamp:
        (folder / "timestamp.txt").write_text(submission.timestamp)


def _chapter_config(
    config: Config, course: Path, chapter: str, options
) -> tuple[Config, bool]:
    """The chapter's settings, and whether a spec judges its every test."""
    release = nbformat.read(course / "notebooks" / chapter / f"{chapter}.ipynb", 4)
    source = nbformat.read(course / "solutions" / chapter / f"{chapter}.ipynb", 4)
    config.CheckEditedTests.release_tests = sources_by_test(release)
    config.ScanIntegrity.release_sources = instructor_sources(release)
    config.RedactHiddenTests.hidden_lines = hidden_test_lines(source, release)
    config.DropForeignCells.chapter_cells = [
        gid for cell in source.cells if (gid := grade_id(cell))
    ]
    judged = specs.load(options.course.spec(chapter))
    tests = {grade_id(cell) for cell in source.cells if is_test(cell)}
    return config, bool(judged) and tests <= judged.keys()


def flagged_lines(notebook, config: Config, advisory: bool) -> list[list]:
    """What the integrity scan found in the submitted notebook; where the scan
    decides (not ``advisory``), a cell it cannot read is left to fail its
    own tests."""
    scanned, _ = ScanIntegrity(config=config).preprocess(copy.deepcopy(notebook), {})
    found = notes(scanned).get(FLAGGED, [])
    return found if advisory else [line for line in found if line[3] != UNREADABLE]


def grade_chapter(
    course: Path,
    submission: Submission,
    config: Config,
    options: GradeOptions,
    sandbox=None,
) -> Result:
    """Grade one notebook in the prepared ``course``, its kernel in
    ``sandbox`` where sandboxes are on."""
    from nbgrader.coursedir import CourseDirectory

    student, chapter = submission.student, submission.chapter
    stamp = {"timestamp": submission.timestamp}
    if submission.notebook is None:
        return Result(*classify(Findings(submitted=False)), **stamp)
    notebook, unreadable = submitted_notebook(submission)
    if notebook is None:
        return Result(*classify(unreadable), **stamp)
    # Where every test is judged outside the kernel, nothing in it can earn
    # a point: the scan's lines are for the instructor to read.
    local, advisory = _chapter_config(config, course, chapter, options)
    flagged = flagged_lines(notebook, local, advisory)
    if flagged and not advisory and not options.accepted(student, chapter):
        return Result(*classify(Findings(flagged=flagged)), **stamp)
    _submit(course, submission, notebook)
    api = grading_api(CourseDirectory(config=local), local, sandbox)
    started = time.monotonic()
    kills = sandbox.memory_kills() if sandbox is not None else 0
    library_warnings: list[str] = []
    with warnings_kept(library_warnings):
        outcome = api.autograde(chapter, student, force=True, create=True)
    elapsed = time.monotonic() - started
    nbgrader_log = outcome.get("log", "") + outcome.get("error", "")
    stamp["log"] = nbgrader_log + "".join(library_warnings)
    graded = course / "autograded" / student / chapter / f"{chapter}.ipynb"
    if not outcome["success"] or not graded.is_file():
        killed = sandbox is not None and sandbox.memory_kills() > kills
        found = _unfinished(options.limits, elapsed, nbgrader_log, killed)
        return Result(*classify(found), **stamp)
    executed = graded.read_bytes()
    found = findings(
        nbformat.reads(executed, as_version=4),
        options.limits.cell_timeout,
        options.limits.memory,
        _extra_files(submission),
    )
    found.to_read = flagged if advisory else []
    with warnings_kept(library_warnings):
        stamp["feedback"] = feedback_page(api, course, submission)
    if stamp["feedback"] is None:
        found.notes.append(NO_FEEDBACK)
    return Result(*classify(found), notebook=executed, **stamp)


def _unfinished(limits, elapsed: float, nbgrader_log: str, killed: bool) -> Findings:
    """Why nbgrader did not finish: the notebook's deadline, the memory
    limit (it killed the kernel), or an error that nbgrader reported."""
    reached = limits.sandbox and elapsed >= limits.notebook_timeout
    deadline = limits.notebook_timeout if reached else None
    return Findings(
        finished=False,
        deadline=deadline,
        nbgrader_error=None if deadline else nbgrader_error(nbgrader_log),
        memory_exceeded=limits.memory if killed and not deadline else None,
    )


NO_FEEDBACK = (
    "nbgrader could not make a feedback page of it (its log says why); an "
    "instructor can read the graded notebook"
)


def feedback_page(api, course: Path, submission: Submission) -> bytes | None:
    """nbgrader's feedback page of the graded notebook, if it made one; it
    says how late the notebook was, where it was (:class:`LateNotice`)."""
    student, chapter = submission.student, submission.chapter
    policy = LatePolicy(config=api.config)
    late = policy.lateness(student, chapter, submission.timestamp)
    api.config.LateNotice.text = late.sentence() if late else ""
    feedback = api.generate_feedback(chapter, student, force=True)
    page = course / "feedback" / student / chapter / f"{chapter}.html"
    return page.read_bytes() if feedback["success"] and page.is_file() else None
