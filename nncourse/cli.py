"""The ``nncourse`` command line: thin over nbgrader and torchvision."""

from __future__ import annotations

import argparse
import sys

from nncourse import data


def release_command(args: argparse.Namespace) -> int:
    # nbgrader is an instructor dependency: import it only when releasing.
    from nncourse import release
    from nncourse.course import resolve_chapters

    chapters = resolve_chapters(args.chapters)
    if not args.check:
        release.release(chapters)
        return 0
    drifted = release.check(chapters)
    if drifted:
        print("These released files differ from what their sources generate:")
        for path in drifted:
            print(f"  {path}")
        print("Run `nncourse release` and commit notebooks/.")
        return 1
    print(f"notebooks/ matches solutions/ for {', '.join(chapters)}.")
    return 0


def links_main(argv: list[str]) -> int:
    from nncourse import links

    return links.main(argv)


def grade_command(args: argparse.Namespace) -> int:
    # nbgrader and dask are instructor dependencies: import them only to grade.
    from nncourse import grading

    return grading.main(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nncourse",
        description="Tools of the course 'Neural networks with PyTorch'.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    release_parser = commands.add_parser(
        "release",
        help="derive the student notebooks in notebooks/ from solutions/ (nbgrader)",
    )
    release_parser.add_argument(
        "chapters", nargs="*", metavar="CHAPTER", help="e.g. 01 or 01-modules (all)"
    )
    release_parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; fail, naming the files, if notebooks/ has drifted",
    )
    release_parser.set_defaults(run=release_command)

    grade_parser = commands.add_parser(
        "grade",
        help="grade a folder or .zip of submissions: grades.csv, feedback (nbgrader)",
    )
    grade_parser.add_argument(
        "submissions",
        metavar="SUBMISSIONS",
        help="folder or .zip of STUDENT/CHAPTER.ipynb or STUDENT/CHAPTER/CHAPTER.ipynb",
    )
    grade_parser.add_argument(
        "--out", required=True, metavar="DIR", help="where grades.csv and feedback/ go"
    )
    grade_parser.add_argument(
        "--chapter",
        dest="chapters",
        action="append",
        default=[],
        metavar="CHAPTER",
        help="e.g. 01 or 01-modules; repeat for several (default: all)",
    )
    grade_parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="worker processes of the local Dask cluster (default: 2)",
    )
    grade_parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="use a running Dask scheduler, e.g. tcp://127.0.0.1:8786, instead",
    )
    grade_parser.add_argument(
        "--db",
        metavar="URL",
        help="gradebook URL (default: the course's, autograder/gradebook.db)",
    )
    grade_parser.add_argument(
        "--timeout",
        type=int,
        metavar="SECONDS",
        help="time limit of each notebook cell (default: the course's, 120)",
    )
    grade_parser.add_argument(
        "--notebook-timeout",
        type=int,
        metavar="SECONDS",
        help="a notebook's kernel is killed after this long in all "
        "(default: 5 times --timeout, at least 600)",
    )
    grade_parser.add_argument(
        "--pattern",
        default=None,
        metavar="REGEX",
        help="for LMS downloads: a regular expression with the groups student_id "
        "and file_id, matched against each .ipynb path (nbgrader's zip_collect "
        "convention; default: Canvas and Moodle names, see the instructor guide)",
    )
    grade_parser.add_argument(
        "--unsafe",
        action="store_true",
        help="grade without the sandbox where bubblewrap is unavailable: student "
        "code then runs as you, with your files and network in reach",
    )
    grade_parser.set_defaults(run=grade_command)

    data_parser = commands.add_parser(
        "data", help="fetch Fashion-MNIST into $NNCOURSE_DATA (default: data/)"
    )
    data_parser.set_defaults(run=lambda args: data.main())

    # Its own options are parsed by nncourse.links (`nncourse links --help`).
    links_parser = commands.add_parser(
        "links", add_help=False, help="list the built book's external links"
    )
    links_parser.set_defaults(run=lambda args: links_main(args.links_args))

    args, rest = parser.parse_known_args(argv)
    if args.command != "links" and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.links_args = rest
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
