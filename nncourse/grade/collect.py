"""Step 1, collect: the submissions of a class, from folders, a zip or an LMS.

A student folder holds ``CHAPTER.ipynb`` or ``CHAPTER/CHAPTER.ipynb`` (nbgrader's
layout, with its ``timestamp.txt``); or else files are named by an LMS
(``--pattern``, nbgrader's ``zip_collect`` regular expression with the groups
``student_id`` and ``file_id``). Every chapter of every student found becomes a
:class:`Submission`, the very object a worker grades.
"""

from __future__ import annotations

import logging
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

IGNORED_NAMES = {"__MACOSX", "timestamp.txt"}
# Canvas ("login_12345_67890_01-modules.ipynb", "login_late_..."), Moodle
# ("Full Name_12345_assignsubmission_file_01-modules.ipynb", or a folder of that
# name holding 01-modules.ipynb) and the like: the student is what comes before
# the first "_", the chapter is NN-topic before ".ipynb" (Canvas may add "-1").
LMS_PATTERN = (
    r"^(?P<student_id>[^_/]+)_[^/]*?(?P<file_id>\d\d-[a-z0-9-]+?)"
    r"(-(?P<attempt>\d+))?\.ipynb$"
)
# The largest notebook file read from a submission.
MAX_NOTEBOOK_BYTES = 50 * 1024**2


@dataclass
class Submission:
    student: str
    chapter: str
    notebook: bytes | None  # None: not submitted
    timestamp: str | None = None
    extra: list[str] = field(default_factory=list)  # files that were ignored
    problem: str | None = None  # why the notebook could not be read


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 become U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace")


def _visible(path: Path) -> bool:
    return not path.name.startswith(".") and path.name not in IGNORED_NAMES


def _chapter_file(folder: Path, chapter: str) -> tuple[Path | None, Path | None]:
    """(notebook, timestamp.txt) of ``chapter`` in a student folder, if any."""
    nested = folder / chapter / f"{chapter}.ipynb"
    if nested.is_file():
        timestamp = folder / chapter / "timestamp.txt"
        return nested, timestamp if timestamp.is_file() else None
    flat = folder / f"{chapter}.ipynb"
    if flat.is_file():
        return flat, None
    return None, None


def _student_root(root: Path, chapter_ids: list[str]) -> Path:
    """Descend through single wrapping folders (``submitted/``, a zip's top
    folder) until the folder's children are students."""
    while True:
        children = [p for p in root.iterdir() if _visible(p)]
        if len(children) != 1 or not children[0].is_dir():
            return root
        only = children[0]
        if any(_chapter_file(only, chapter)[0] for chapter in chapter_ids):
            return root  # the one child is a student
        root = only


def _read_bytes(path: Path) -> tuple[bytes | None, str | None]:
    if path.is_symlink():
        return None, "it is a symbolic link, not a file"
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return None, f"it is {size / 1024**2:.0f} MB, over the limit of 50 MB"
    return path.read_bytes(), None


def _submission(student, chapter, notebook, timestamp, extra) -> Submission:
    """What a worker needs of one chapter of one student."""
    content, problem = _read_bytes(notebook) if notebook else (None, None)
    return Submission(
        student,
        chapter,
        content if not problem else b"",
        timestamp.read_text(errors="replace").strip() if timestamp else None,
        extra,
        problem,
    )


def _entries(folder: Path) -> list[Path]:
    """Files and links under ``folder``; links are not followed."""
    found = []
    for parent, folders, files in os.walk(folder):
        links = [name for name in folders if os.path.islink(os.path.join(parent, name))]
        found += [Path(parent, name) for name in files + links]
    return found


def _collect_folders(root: Path, chapter_ids: list[str]):
    found: dict[str, dict[str, Submission]] = {}
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and _visible(p)):
        student = printable(student_dir.name)
        files = {p for p in _entries(student_dir) if _visible(p)}
        chapter_files = {}
        for chapter in chapter_ids:
            notebook, timestamp = _chapter_file(student_dir, chapter)
            chapter_files[chapter] = (notebook, timestamp)
            files -= {notebook, timestamp}
        extra = sorted(printable(str(p.relative_to(student_dir))) for p in files)
        found[student] = {}
        for chapter, (notebook, timestamp) in chapter_files.items():
            found[student][chapter] = _submission(
                student, chapter, notebook, timestamp, extra
            )
    return found


def _collect_lms(root: Path, chapter_ids: list[str], pattern: str):
    """Files named by an LMS, matched by nbgrader's zip_collect plugin."""
    from nbgrader.plugins import FileNameCollectorPlugin

    plugin = FileNameCollectorPlugin(named_regexp=pattern)
    plugin.log.setLevel(logging.ERROR)
    attempts: dict[str, dict[str, list]] = {}
    for path in (p for p in root.rglob("*.ipynb") if p.is_file()):
        info = plugin.collect(str(path.relative_to(root)))
        if not info or Path(info["file_id"]).stem not in chapter_ids:
            continue
        student = printable(info["student_id"])
        # Several attempts: the latest (by the pattern's timestamp group, then
        # its attempt group: Canvas numbers resubmissions "-1", "-2", ...).
        order = (info.get("timestamp") or "", int(info.get("attempt") or 0), path)
        chapter = Path(info["file_id"]).stem
        attempts.setdefault(student, {}).setdefault(chapter, []).append(order)
    chosen = {
        student: {chapter: max(found)[-1] for chapter, found in by_chapter.items()}
        for student, by_chapter in attempts.items()
    }
    return {
        student: {
            chapter: _submission(student, chapter, paths.get(chapter), None, [])
            for chapter in chapter_ids
        }
        for student, paths in sorted(chosen.items())
    }


def collect(
    folder: Path, chapter_ids: list[str], pattern: str = LMS_PATTERN
) -> dict[str, dict[str, Submission]]:
    """``{student: {chapter: Submission}}``: from student folders, or else from
    file names an LMS gave (``pattern``)."""
    root = _student_root(folder, chapter_ids)
    found = _collect_folders(root, chapter_ids)
    if not any(s.notebook is not None for c in found.values() for s in c.values()):
        lms = _collect_lms(root, chapter_ids, pattern)
        if lms:
            return lms
    return found


def unpack(submissions: Path, into: Path) -> Path:
    """The folder of submissions: ``submissions`` itself, or a zip unpacked."""
    if submissions.is_dir():
        return submissions
    if not submissions.exists():
        raise SystemExit(f"{submissions} does not exist: name a folder or a .zip.")
    if zipfile.is_zipfile(submissions):
        # ZipFile.extractall drops absolute paths and ``..`` components.
        with zipfile.ZipFile(submissions) as archive:
            archive.extractall(into)
        return into
    raise SystemExit(f"{submissions} is neither a folder nor a .zip file.")


def collect_class(
    submissions: Path, into: Path, chapter_ids: list[str], pattern: str
) -> dict[str, dict[str, Submission]]:
    """Every student's submissions in a folder or zip (unpacked into ``into``);
    stop with the expected layout when there are none."""
    found = collect(unpack(submissions, into), chapter_ids, pattern)
    if not found:
        raise SystemExit(
            f"No submissions in {submissions}: expected folders STUDENT/ with "
            "CHAPTER.ipynb or CHAPTER/CHAPTER.ipynb, or files an LMS named "
            f"(matched by --pattern {pattern!r})."
        )
    return found
