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

from nncourse.course import REPO, nbgrader_config, put_environment_on_path


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
    course: Path, chapter: str, db_url: str | None = None, root: Path = REPO
) -> None:
    """Release ``chapter`` from ``root``'s source into the temporary course
    ``course`` and its own gradebook (or ``db_url``); ``root`` is not touched."""
    if not (course / "solutions" / chapter).exists():
        shutil.copytree(root / "solutions" / chapter, course / "solutions" / chapter)
    db_url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    config = nbgrader_config(
        root, CourseDirectory={"root": str(course), "db_url": db_url}
    )
    generate(chapter, config)


def release(chapters: list[str], root: Path = REPO) -> None:
    """Regenerate ``notebooks/CH/`` from ``solutions/CH/`` for each chapter."""
    config = nbgrader_config(root)
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


def check(chapters: list[str], root: Path = REPO) -> list[str]:
    """Return the committed release files that differ from a fresh release."""
    drifted = []
    with tempfile.TemporaryDirectory(prefix="nncourse-release-") as tmp:
        course = Path(tmp)
        for chapter in chapters:
            generate_in(course, chapter, root=root)
            committed = root / "notebooks" / chapter
            if not committed.is_dir():
                drifted.append(f"notebooks/{chapter}/ (missing)")
                continue
            drifted += differences(
                course / "notebooks" / chapter, committed, f"notebooks/{chapter}"
            )
    return drifted
