"""The ``nncourse`` command line: the one place where arguments become options.

Each subcommand is a :class:`Command`: a function that declares its arguments
and one that maps them to the typed options of the function doing the work
(:func:`nncourse.grade.grade`, :func:`nncourse.release.release`, ...). The
arguments of a subcommand are declared only when it runs, so that ``nncourse
data`` works where the instructor tools (nbgrader, Dask) are not installed.
A new subcommand is one more entry of :data:`COMMANDS`. Every subcommand
takes ``--course DIR`` (default: the course that holds the working folder)
and works on that :class:`~nncourse.course.Course` alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nncourse.cli_term import (
    ALL_CHAPTERS,
    chapter_option,
    export_arguments,
    export_command,
    similarity_arguments,
    similarity_command,
)


@dataclass
class Command:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def chapter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "chapters", nargs="*", metavar="CHAPTER", help="e.g. 01 or 01-modules (all)"
    )


def release_arguments(parser: argparse.ArgumentParser) -> None:
    chapter_arguments(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; fail, naming the files, if notebooks/ has drifted",
    )


def release_command(args: argparse.Namespace) -> int:
    # nbgrader is an instructor dependency: import it only when releasing.
    from nncourse import release

    chapters = args.course.resolve(args.chapters)
    if not args.check:
        release.release(args.course, chapters)
        return 0
    drifted = release.check(args.course, chapters)
    if drifted:
        print("These released files differ from what their sources generate:")
        for path in drifted:
            print(f"  {path}")
        print("Run `nncourse release` and commit notebooks/.")
        return 1
    print(f"notebooks/ matches solutions/ for {', '.join(chapters)}.")
    return 0


def grade_arguments(parser: argparse.ArgumentParser) -> None:
    from nncourse.grade import options

    add = parser.add_argument
    add(
        "submissions",
        metavar="SUBMISSIONS",
        help="folder or .zip of STUDENT/CHAPTER.ipynb or STUDENT/CHAPTER/CHAPTER.ipynb",
    )
    add("--out", required=True, metavar="DIR", help="where grades.csv and feedback/ go")
    chapter_option(parser, ALL_CHAPTERS)
    add(
        "--workers",
        type=int,
        default=options.DEFAULT_WORKERS,
        metavar="N",
        help="worker processes of the local Dask cluster, at most one per "
        "student (default: %(default)s)",
    )
    add(
        "--scheduler",
        metavar="ADDRESS",
        help="use a running Dask scheduler, e.g. tcp://127.0.0.1:8786, instead",
    )
    add("--db", metavar="URL", help="gradebook URL (default: the course's)")
    add(
        "--pattern",
        metavar="REGEX",
        help="for LMS downloads: a regular expression with the groups student_id "
        "and file_id, matched against each .ipynb path (nbgrader's zip_collect "
        "convention; default: Canvas and Moodle names, see the instructor guide)",
    )
    add(
        "--accept",
        action="append",
        default=[],
        metavar="STUDENT/CHAPTER",
        help="grade this notebook normally although the integrity scan flagged "
        "it (after you read the flagged lines); repeat for several",
    )
    add(
        "--figures",
        action="store_true",
        help="draw the notebooks' figures into the feedback pages (about 0.2 s "
        "of CPU each); by default a figure shows as its one-line description",
    )
    grade_limit_arguments(parser)


def accepted(names: list[str], course) -> list[str]:
    """``STUDENT/CHAPTER`` names with the chapter written out (01 -> 01-modules)."""
    found = []
    for name in names:
        student, slash, chapter = name.rpartition("/")
        if not slash or not student:
            raise SystemExit(f"--accept {name}: expected STUDENT/CHAPTER")
        found.append(f"{student}/{course.resolve([chapter])[0]}")
    return found


def grade_limit_arguments(parser: argparse.ArgumentParser) -> None:
    from nncourse.grade import options

    add = parser.add_argument
    add(
        "--timeout",
        type=int,
        metavar="SECONDS",
        help="time limit of each notebook cell (default: the course's "
        f"ExecutePreprocessor.timeout, else {options.DEFAULT_CELL_TIMEOUT})",
    )
    add(
        "--notebook-timeout",
        type=int,
        metavar="SECONDS",
        help="a notebook's kernel is killed after this long in all (default: "
        f"{options.NOTEBOOK_TIMEOUT_CELLS} times the cell limit, at least "
        f"{options.MIN_NOTEBOOK_TIMEOUT})",
    )
    add(
        "--unsafe",
        action="store_true",
        help="grade without the sandbox where bubblewrap is unavailable: student "
        "code then runs as you, with your files and network in reach",
    )


def grade_command(args: argparse.Namespace) -> int:
    # nbgrader and dask are instructor dependencies: import them only to grade.
    from nncourse.grade import GradeOptions, grade, summary

    options = GradeOptions.create(
        Path(args.submissions),
        Path(args.out),
        course=args.course,
        chapters=args.course.resolve(args.chapters),
        workers=args.workers,
        scheduler=args.scheduler,
        db_url=args.db,
        timeout=args.timeout,
        notebook_timeout=args.notebook_timeout,
        unsafe=args.unsafe,
        pattern=args.pattern,
        accept=accepted(args.accept, args.course),
        figures=args.figures,
    )
    rows = grade(options)
    print(summary(rows))
    print(f"grades: {options.out / 'grades.csv'}")
    print(f"feedback: {options.out / 'feedback'}/STUDENT/CHAPTER/CHAPTER.html")
    return 0


def data_command(args: argparse.Namespace) -> int:
    from nncourse import data

    return data.main(args.course.root / "data")


def _mutants():
    # Imported only when run: it forks processes that import torch.
    from nncourse.mutation import command as mutants

    return mutants


def links_arguments(parser: argparse.ArgumentParser) -> None:
    from nncourse.links import PLACEHOLDER_HOSTS

    parser.add_argument(
        "--html", type=Path, help="the built book (default: the course's _build/html)"
    )
    parser.add_argument(
        "--check", action="store_true", help="request every link (needs the internet)"
    )
    parser.add_argument(
        "--ignore",
        default=PLACEHOLDER_HOSTS,
        metavar="REGEX",
        help="with --check, skip URLs matching this (default: the placeholder hub)",
    )


def links_command(args: argparse.Namespace) -> int:
    from nncourse import links

    html = args.html or args.course.root / "_build" / "html"
    return links.report(html, check=args.check, ignore=args.ignore)


COMMANDS = [
    Command(
        "release",
        "derive the student notebooks in notebooks/ from solutions/ (nbgrader)",
        release_arguments,
        release_command,
    ),
    Command(
        "grade",
        "grade a folder or .zip of submissions: grades.csv, feedback (nbgrader)",
        grade_arguments,
        grade_command,
    ),
    Command(
        "export",
        "write grades.csv's chapter scores into a Canvas or Moodle gradebook file",
        export_arguments,
        export_command,
    ),
    Command(
        "similarity",
        "report answers that are much alike across a class (for a person to judge)",
        similarity_arguments,
        similarity_command,
    ),
    Command(
        "data",
        "fetch Fashion-MNIST into $NNCOURSE_DATA (default: the course's data/)",
        lambda parser: None,
        data_command,
    ),
    Command(
        "mutants",
        "mutation-test the exercises' test cells (kill rate per chapter)",
        lambda parser: _mutants().arguments(parser),
        lambda args: _mutants().command(args),
    ),
    Command(
        "links",
        "list the built book's external links (not part of the tests)",
        links_arguments,
        links_command,
    ),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nncourse",
        description="Tools of the course 'Neural networks with PyTorch'.",
    )
    names = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        names.add_parser(command.name, help=command.help, add_help=False)
    chosen, rest = parser.parse_known_args(argv)
    command = next(c for c in COMMANDS if c.name == chosen.command)
    own = argparse.ArgumentParser(
        prog=f"nncourse {command.name}", description=command.help
    )
    command.arguments(own)
    course_argument(own)
    args = own.parse_args(rest)
    args.course = args.course or _found_course()
    return command.run(args)


def course_argument(parser: argparse.ArgumentParser) -> None:
    from nncourse.course import Course

    parser.add_argument(
        "--course",
        type=Course.at,
        metavar="DIR",
        help="the course: solutions/, notebooks/, autograder/ (default: the "
        "course that holds the working folder)",
    )


def _found_course():
    from nncourse.course import Course

    return Course.find()


if __name__ == "__main__":
    sys.exit(main())
