"""``nncourse release``: derive the student notebooks with nbgrader.

Releasing is ``nbgrader generate_assignment`` for each chapter, through
nbgrader's own API and the course config. ``--check`` generates into a
temporary course instead and compares the result with the committed
``notebooks/``, so a source edited without a release is caught.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from nncourse.course import Course, put_environment_on_path


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
    config = course.nbgrader_config(
        CourseDirectory={"root": str(folder), "db_url": db_url}
    )
    generate(chapter, config)


def release(course: Course, chapters: list[str]) -> None:
    """Regenerate ``notebooks/CH/`` from ``solutions/CH/`` for each chapter."""
    config = course.nbgrader_config(CourseDirectory={"root": str(course.root)})
    for chapter in chapters:
        generate(chapter, config)
        print(f"released notebooks/{chapter}/")


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
