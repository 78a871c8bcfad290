"""``nncourse grade``: grade a folder or zip of submissions with nbgrader.

:func:`grade` is the pipeline, one module a step:

1. **collect** (:mod:`.collect`): every student's notebooks, from folders, a
   zip or an LMS's file names;
2. **prepare** (:mod:`.prepare`): release each chapter into a template course
   that the workers copy, and into the real gradebook;
3. **plan** (:mod:`.store`): take the results an interrupted run saved, grade
   the rest;
4. **execute** (:mod:`.cluster`, :mod:`.worker`): first the solution's
   outcomes on this run's inputs (:mod:`.references`), then one Dask task
   per student runs
   ``nbgrader autograde`` in a private course, the kernel in a sandbox
   (:mod:`.sandbox`), with the course's preprocessors
   (:mod:`nncourse.preprocessors`); :mod:`.results` classifies each notebook;
5. **record** (:mod:`.record`): the coordinator alone writes the real gradebook;
6. **report**: ``grades.csv``, the feedback pages, a summary.

What the run is asked to do is one :class:`.options.GradeOptions`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from nncourse.course import put_environment_on_path
from nncourse.grade.collect import Submission, collect_class
from nncourse.grade.options import GradeOptions
from nncourse.grade.prepare import Template, prepare
from nncourse.grade.quiet import warnings_kept
from nncourse.grade.record import Results, Row, csv_text, record, rows, summary
from nncourse.grade.results import Status
from nncourse.grade.store import ResultStore, atomic_write, keep_receipts, key

__all__ = ["GradeOptions", "Row", "grade", "summary"]


def check_sandbox(sandbox: bool) -> None:
    """Stop with the fix unless the sandbox works or is not wanted."""
    from nncourse.grade.bubblewrap import (
        SandboxUnavailable,
        check_available,
        check_socket_room,
    )

    if not sandbox:
        return
    try:
        check_available()
        check_socket_room(tempfile.gettempdir())
    except SandboxUnavailable as error:
        raise SystemExit(f"nncourse grade: {error}") from None
    from nncourse.grade import cgroups

    if not cgroups.available():
        print(cgroups.NOT_AVAILABLE)


def sweep_killed_runs(sandbox: bool) -> None:
    """Remove the sandbox folders that killed runs left (:mod:`.folders`)."""
    from nncourse.grade import folders

    left = folders.sweep(tempfile.gettempdir()) if sandbox else []
    if left:
        print(f"Removed {len(left)} sandbox folders that a killed run left behind.")


def plan(
    found: dict[str, dict[str, Submission]],
    template: Template,
    store: ResultStore,
    options: GradeOptions,
) -> tuple[Results, dict[str, list[Submission]]]:
    """(results saved by an earlier run, submissions still to grade); a
    flagged notebook the instructor now accepts is graded again."""
    results: Results = {}
    jobs: dict[str, list[Submission]] = {}
    for student, by_chapter in found.items():
        for chapter, submission in by_chapter.items():
            saved = store.load(student, chapter, key(submission, template.fingerprint))
            if saved is not None and not (
                saved.status == Status.FLAGGED and options.accepted(student, chapter)
            ):
                results.setdefault(student, {})[chapter] = saved
            else:
                jobs.setdefault(student, []).append(submission)
    done = len(found) - len(jobs)
    if done:
        print(f"Resuming: {done} of {len(found)} students were graded before.")
    return results, jobs


def execute(
    jobs: dict[str, list[Submission]],
    template: Template,
    options: GradeOptions,
    store: ResultStore,
    done: int,
) -> Results:
    """Grade on the cluster, keeping each student's results as they come."""
    from nncourse.grade.cluster import run_on_cluster

    results: Results = {}
    for student, by_chapter in run_on_cluster(jobs, template, options, done):
        for submission in jobs[student]:
            result = by_chapter[submission.chapter]
            store.keep(
                student,
                submission.chapter,
                result,
                key(submission, template.fingerprint),
            )
        results[student] = by_chapter
    return results


def report_ignored(ignored: list[tuple[str, str]], out: Path) -> None:
    """Say how many files were not graded, and list each with why in
    ``ignored.txt``: nothing found is dropped without a word."""
    lines = "".join(f"{name}\t{why}\n" for name, why in ignored)
    atomic_write(out / "ignored.txt", lines.encode("utf-8"))
    if ignored:
        print(f"{len(ignored)} files were not graded; each, and why: {out}/ignored.txt")


def grade(options: GradeOptions) -> list[Row]:
    """Grade every student of ``options.submissions``; write ``grades.csv``,
    ``feedback/`` (with nbgrader's receipts, for its ``release_feedback``)
    and ``logs/`` into ``options.out``; return the CSV's rows."""
    check_sandbox(options.limits.sandbox)
    sweep_killed_runs(options.limits.sandbox)
    put_environment_on_path()
    options.out.mkdir(parents=True, exist_ok=True)
    store = ResultStore(options.out)
    with tempfile.TemporaryDirectory(prefix="nncourse-grade-") as tmp:
        tmp = Path(tmp)
        collected = collect_class(
            options.submissions, tmp / "unpacked", options.chapters, options.pattern
        )
        report_ignored(collected.ignored, options.out)
        found = collected.students
        template = prepare(options, tmp, collected.chapters_handed_in())
        results, jobs = plan(found, template, store, options)
        done = len(found) - len(jobs)
        for student, by_chapter in execute(
            jobs, template, options, store, done
        ).items():
            results.setdefault(student, {}).update(by_chapter)
        library_warnings: list[str] = []
        with warnings_kept(library_warnings):
            record(options, results, tmp / "executed")
            graded = rows(options, results)
        log = options.out / "logs" / "gradebook-warnings.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(library_warnings))
    keep_receipts(options.out, found)
    atomic_write(options.out / "grades.csv", csv_text(graded).encode("utf-8"))
    return graded
