"""``nncourse mutants [CHAPTER ...]``: mutation testing of the graders.

For each exercise: the mutants of its solution (this package),
how many its test cell kills, and each survivor as a diff. Exits 1 when a
chapter kills fewer than ``--min-rate`` % of its non-equivalent mutants or
an exercise's own solution fails its test.

:func:`arguments` and :func:`command` have the shape of a subcommand of
:mod:`nncourse.cli`.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from nncourse.course import Course

#: Mutants that compute what the solution computes, one per line with why,
#: under the course's autograder/.
EQUIVALENT_FILE = Path("mutants") / "equivalent.txt"
DEFAULT_MIN_RATE = 95.0
DEFAULT_TIMEOUT = 20.0
#: A mutant's limit (runner.mutant_timeout): this many times its solution's
#: run, no less than SHORTEST_TIMEOUT seconds, no more than --timeout.
SLOWER = 20
SHORTEST_TIMEOUT = 5.0


def arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("chapters", nargs="*", metavar="CHAPTER", help="e.g. 02 or 02-layers (all)")
    add(
        "--exercise",
        action="append",
        metavar="GRADE_ID",
        help="only this exercise (the solution cell's grade_id); repeatable",
    )
    add(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes working at once (default: the number of CPUs)",
    )
    add(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"the most one mutant may run: {SLOWER} times its solution's run, "
        f"at least {SHORTEST_TIMEOUT:g} s, at most this (default "
        f"{DEFAULT_TIMEOUT:g}); a mutant past its limit counts as killed",
    )
    add(
        "--min-rate",
        type=float,
        default=DEFAULT_MIN_RATE,
        metavar="PERCENT",
        help="fail when a chapter kills fewer "
        f"(default {DEFAULT_MIN_RATE:g}; 0: never)",
    )
    add("--json", type=Path, metavar="PATH", help="also write the report as JSON")


def equivalents(course: Course) -> dict[str, str]:
    """``"chapter exercise id"`` -> why that mutant is equivalent."""
    from nncourse.mutation import report

    found = report.read_equivalents(course.autograder / EQUIVALENT_FILE)
    return {f"{e.chapter} {e.exercise} {e.id}": e.reason for e in found}


def _chapters_of(
    exercises: list[str], chapters: list[str], course: Course
) -> list[str]:
    """The chapters among ``chapters`` that hold one of ``exercises``."""
    import nbformat

    from nncourse.mutation.solution import exercises as exercises_of

    def names(chapter):
        notebook = nbformat.read(course.source(chapter), as_version=4)
        return {e.name for e in exercises_of(notebook)}

    found = [chapter for chapter in chapters if names(chapter) & set(exercises)]
    if not found:
        raise SystemExit(
            f"No exercise {', '.join(exercises)} in {', '.join(chapters)}."
        )
    return found


def command(args: argparse.Namespace) -> int:
    from nncourse.mutation import report, runner

    course = args.course
    chapters = course.resolve(args.chapters)
    if args.exercise:
        chapters = _chapters_of(args.exercise, chapters, course)
    settings = runner.Settings(
        exercises=frozenset(args.exercise) if args.exercise else None,
        equivalent=equivalents(course),
        timeout=args.timeout,
        course=course,
    )
    started = time.monotonic()
    reports = runner.run(chapters, settings, max(1, args.jobs))
    seconds = time.monotonic() - started
    min_rate = args.min_rate / 100
    print(report.text(reports, min_rate), end="")
    print(f"{sum(len(r.mutants) for r in reports)} mutants in {seconds:.0f} s")
    if args.json:
        args.json.write_text(report.as_json(reports, min_rate, seconds))
    chapters_pass = all(
        report.chapter_passes(exercises, min_rate)
        for exercises in report.by_chapter(reports).values()
    )
    return 0 if chapters_pass else 1
