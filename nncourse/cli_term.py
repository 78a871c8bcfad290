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
        "Moodle, or with --feedback-zip: exactly one, the assignment's)",
    )
    add(
        "--feedback-zip",
        type=Path,
        metavar="ZIP",
        help="also write the chapter's feedback pages into this zip, named for "
        "the LMS's bulk feedback upload",
    )
    add(
        "--feedback",
        type=Path,
        metavar="DIR",
        help="the pages: OUT/feedback of `nncourse grade --out OUT` (default: "
        "feedback/ beside --grades)",
    )
    add(
        "--submissions",
        type=Path,
        metavar="ZIP",
        help="Canvas, with --feedback-zip: the assignment's 'Download "
        "Submissions' zip (or its folder), whose file names Canvas reads back",
    )


def export_command(args: argparse.Namespace) -> int:
    from nncourse import lms, lms_feedback

    if (refused := _refused(args)) is not None:
        print(f"nncourse export {args.lms}: {refused}")
        return 2
    chapters = args.course.resolve(args.chapters) if args.chapters else []
    if (args.lms == "moodle" or args.feedback_zip) and len(chapters) != 1:
        print(
            f"nncourse export {args.lms}: name the assignment's chapter: --chapter NN"
        )
        return 2
    scores = lms.Scores.read(args.grades)
    raw = args.gradebook.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    try:
        if args.lms == "canvas":
            export = lms.canvas(text, scores, chapters or sorted(scores.by_chapter))
        else:
            export = lms.moodle(text, scores, chapters[0])
    except lms.ExportError as error:
        print(f"nncourse export {args.lms}: {args.gradebook}: {error}")
        return 2
    try:  # the feedback zip is made before anything is written
        package = _feedback(args, chapters, text)
    except lms_feedback.FeedbackError as error:
        print(f"nncourse export {args.lms}: {error}")
        return 2
    args.out.write_text(export.text(), encoding="utf-8-sig" if bom else "utf-8")
    print(lms.report(export, scores, args.out))
    if package is not None:
        package.write(args.feedback_zip)
        print(lms_feedback.report(package, args.feedback_zip))
    return 0


def _refused(args: argparse.Namespace) -> str | None:
    """Why the command cannot start: a file it reads is missing, or one it
    writes would replace one it reads."""
    read = [args.gradebook, args.grades]
    if (args.feedback or args.submissions) and not args.feedback_zip:
        return (
            "--feedback and --submissions go with --feedback-zip ZIP, the zip to write."
        )
    if args.feedback_zip and args.lms == "canvas":
        if args.submissions is None:
            return "with --feedback-zip, give the assignment's download: --submissions"
        read.append(args.submissions)
    for path in read:
        if not path.is_file() and not (path is args.submissions and path.is_dir()):
            return f"{path} does not exist."
    written = [p.resolve() for p in (args.out, args.feedback_zip) if p]
    if len(set(written)) < len(written) or set(written) & {p.resolve() for p in read}:
        return "--out and --feedback-zip must not overwrite a file the command reads."
    return None


def _feedback(args: argparse.Namespace, chapters: list[str], text: str):
    """The chapter's feedback package, if ``--feedback-zip`` asks for one."""
    from nncourse import lms_feedback

    if not args.feedback_zip:
        return None
    pages = lms_feedback.read_pages(
        args.feedback or args.grades.parent / "feedback", chapters[0]
    )
    if args.lms == "moodle":
        return lms_feedback.moodle(pages, text)
    return lms_feedback.canvas(pages, lms_feedback.download_names(args.submissions))


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
