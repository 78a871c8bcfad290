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

    data_parser = commands.add_parser(
        "data", help="fetch Fashion-MNIST into $NNCOURSE_DATA (default: data/)"
    )
    data_parser.set_defaults(run=lambda args: data.main())

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
