"""``nncourse release``: derive the student notebooks with nbgrader.

Releasing is ``nbgrader generate_assignment`` for each chapter, through
nbgrader's own API and the course config. ``--check`` generates into a
temporary course instead and compares the result with the committed
``notebooks/``, so a source edited without a release is caught.
"""

from __future__ import annotations

import filecmp
import re
import shutil
import tempfile
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from nncourse.course import Course, put_environment_on_path
from nncourse.gradebook import start_gradebook


def generate(chapter: str, config) -> None:
    put_environment_on_path()
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir, config=config)
    result = api.generate_assignment(chapter, force=True, create=True)
    if not result["success"]:
        raise SystemExit(
            f"nbgrader could not release {chapter}:\n"
            f"{result.get('log', '')}{result.get('error', '')}"
        )


def generate_in(
    folder: Path, chapter: str, course: Course, db_url: str | None = None
) -> None:
    """Release ``chapter`` from ``course``'s source into the temporary course
    ``folder`` and its own gradebook (or ``db_url``); ``course`` is not touched."""
    if not (folder / "solutions" / chapter).exists():
        shutil.copytree(course.source(chapter).parent, folder / "solutions" / chapter)
    db_url = db_url or f"sqlite:///{folder / 'gradebook.db'}"
    start_gradebook(db_url)
    config = course.nbgrader_config(
        CourseDirectory={"root": str(folder), "db_url": db_url}
    )
    generate(chapter, config)


def release(course: Course, chapters: list[str]) -> None:
    """Regenerate ``notebooks/CH/`` from ``solutions/CH/`` for each chapter.

    Each chapter is generated in a temporary course, recording its cells in
    the course's gradebook (plain ``nbgrader autograde`` needs them), and
    replaces the committed release only when nbgrader succeeded, so a
    failure loses nothing. When nbgrader refuses the gradebook, because it
    holds submissions of an earlier version, the release is made with a
    gradebook of its own and the message says why."""
    db_url = CourseDirectory(config=course.nbgrader_config()).db_url
    for chapter in chapters:
        with tempfile.TemporaryDirectory(prefix="nncourse-release-") as tmp:
            folder = Path(tmp) / "course"
            try:
                generate_in(folder, chapter, course, db_url)
            except SystemExit as refused:  # again, without the course's gradebook
                folder = Path(tmp) / "alone"
                generate_in(folder, chapter, course)
                print(
                    f"The gradebook ({db_url}) keeps its earlier record of {chapter}: "
                    f"nbgrader did not update it: {refusal(str(refused))}\n"
                    "`nncourse grade` uses the same gradebook: grade this chapter "
                    "with another one (--db), or remove its earlier submissions."
                )
            released = course.released(chapter).parent
            replace_folder(folder / "notebooks" / chapter, released)
        print(f"released notebooks/{chapter}/")


def refusal(log: str) -> str:
    """nbgrader's reason in its log: the last exception that is not its
    summary ("Please see the above traceback")."""
    reasons = [
        line.strip().split(": ", 1)[1]
        for line in log.splitlines()
        if re.match(r"\s*[\w.]*(Error|Exception): ", line)
        and "NbGraderException" not in line
    ]
    return reasons[-1] if reasons else log.strip().splitlines()[-1]


def replace_folder(new: Path, old: Path) -> None:
    """Put ``new`` where ``old`` is, keeping ``old`` until ``new`` is in place."""
    staged = old.with_name(f".{old.name}.new")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(new, staged)
    retired = old.with_name(f".{old.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        old.rename(retired)
    staged.rename(old)
    shutil.rmtree(retired, ignore_errors=True)


def differences(left: Path, right: Path, prefix: str) -> list[str]:
    """Paths (relative, under ``prefix``) that differ between two folders."""
    comparison = filecmp.dircmp(left, right)
    found = [
        f"{prefix}/{name}"
        for name in comparison.left_only
        + comparison.right_only
        + comparison.diff_files
        + comparison.funny_files
    ]
    for name, sub in comparison.subdirs.items():
        found += differences(Path(sub.left), Path(sub.right), f"{prefix}/{name}")
    return found


def check(course: Course, chapters: list[str]) -> list[str]:
    """Return the committed release files that differ from a fresh release."""
    drifted = []
    with tempfile.TemporaryDirectory(prefix="nncourse-release-") as tmp:
        folder = Path(tmp)
        for chapter in chapters:
            generate_in(folder, chapter, course)
            committed = course.released(chapter).parent
            if not committed.is_dir():
                drifted.append(f"notebooks/{chapter}/ (missing)")
                continue
            drifted += differences(
                folder / "notebooks" / chapter, committed, f"notebooks/{chapter}"
            )
    return drifted
