"""The subcommands for after grading (``export``, ``similarity``), declared
as :mod:`nncourse.cli` declares every subcommand: arguments, then a run."""

from __future__ import annotations

import argparse
from pathlib import Path

ALL_CHAPTERS = "e.g. 01 or 01-modules; repeat for several (default: all)"


def chapter_option(parser: argparse.ArgumentParser, help: str) -> None:
    """``--chapter``, repeatable, into ``args.chapters``."""
    parser.add_argument(
        "--chapter",
        dest="chapters",
        action="append",
        default=[],
        metavar="CHAPTER",
        help=help,
    )


def export_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("lms", choices=["canvas", "moodle"], help="whose gradebook file it is")
    add(
        "--gradebook",
        required=True,
        type=Path,
        metavar="CSV",
        help="Canvas: the exported gradebook; Moodle: a chapter's grading worksheet",
    )
    add("--grades", required=True, type=Path, help="grades.csv of `nncourse grade`")
    add("--out", required=True, type=Path, metavar="CSV", help="the file to import")
    chapter_option(
        parser,
        "e.g. 01-modules; repeat for several (Canvas: default all graded; "
        "Moodle: exactly one, the worksheet's)",
    )


def export_command(args: argparse.Namespace) -> int:
    from nncourse import lms

    for path in (args.gradebook, args.grades):
        if not path.is_file():
            print(f"nncourse export: {path} does not exist.")
            return 2
    if args.out.resolve() == args.gradebook.resolve():
        print("nncourse export: --out must not overwrite the LMS's own file.")
        return 2
    scores = lms.Scores.read(args.grades)
    chapters = args.course.resolve(args.chapters) if args.chapters else []
    raw = args.gradebook.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    try:
        if args.lms == "canvas":
            export = lms.canvas(text, scores, chapters or sorted(scores.by_chapter))
        elif len(chapters) != 1:
            print("nncourse export moodle: name the worksheet's chapter: --chapter NN")
            return 2
        else:
            export = lms.moodle(text, scores, chapters[0])
    except lms.ExportError as error:
        print(f"nncourse export {args.lms}: {args.gradebook}: {error}")
        return 2
    args.out.write_text(export.text(), encoding="utf-8-sig" if bom else "utf-8")
    print(lms.report(export, scores, args.out))
    return 0


def similarity_arguments(parser: argparse.ArgumentParser) -> None:
    from nncourse.similarity import THRESHOLD

    add = parser.add_argument
    add("results", type=Path, metavar="RESULTS", help="the --out of `nncourse grade`")
    chapter_option(parser, ALL_CHAPTERS)
    add(
        "--threshold",
        type=float,
        default=THRESHOLD,
        help="report pairs sharing at least this share of one side's answers "
        f"(default {THRESHOLD})",
    )


def similarity_command(args: argparse.Namespace) -> int:
    from nncourse.similarity import similarity

    if not (args.results / "executed").is_dir():
        print(
            f"nncourse similarity: {args.results} holds no executed/ folder; "
            "give the --out folder of `nncourse grade`."
        )
        return 2
    pairs = similarity(
        args.course, args.results, args.course.resolve(args.chapters), args.threshold
    )
    print(
        f"{len(pairs)} pair(s) at or above {args.threshold:.0%}: "
        f"{args.results / 'similarity.html'} (and similarity.csv). Alike is not "
        "copied: read them."
    )
    return 0
