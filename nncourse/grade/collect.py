"""Step 1, collect: the submissions of a class, from folders, a zip or an LMS.

A student folder holds ``CHAPTER.ipynb`` or ``CHAPTER/CHAPTER.ipynb`` (nbgrader's
layout, with its ``timestamp.txt`` and ``submission_secret.txt``, which
``nbgrader release_feedback`` needs again beside the feedback page); or else
files are named by an LMS
(``--pattern``, nbgrader's ``zip_collect`` regular expression with the groups
``student_id`` and ``file_id``, and ``user_id`` where the LMS numbers its
users). Every chapter of every student found becomes a :class:`Submission`,
the very object a worker grades.

A student id is what the folder or the LMS says, kept exactly
(:func:`student_id`); ids that cannot be graded apart stop the run before
anything is graded (:func:`check_ids`), and every file that is not graded is
listed with the reason (:attr:`Collected.ignored`).
"""

from __future__ import annotations

import logging
import os
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nncourse.grade.archive import MAX_NOTEBOOK_BYTES, Unpacked, unpack_zip

#: nbgrader's receipts of a submission: read, never graded nor listed.
RECEIPTS = ("timestamp.txt", "submission_secret.txt")
IGNORED_NAMES = {"__MACOSX", *RECEIPTS}
# Canvas ("login_12345_67890_01-modules.ipynb"; a late one "login_LATE_12345_...",
# "login_late_..." in older Canvas),
# Moodle ("Full Name_12345_assignsubmission_file_01-modules.ipynb", or a folder
# of that name holding 01-modules.ipynb) and the like: the student is the name
# before the first "_" and the LMS's numeric user id after it (two users of
# one name stay two students); the chapter is NN-topic before ".ipynb"
# (Canvas may add "-1" to a resubmission).
LMS_PATTERN = (
    r"^(?P<student_id>[^_/]+)_(?:(?i:late)_)?(?P<user_id>\d+)_[^/]*?"
    r"(?P<file_id>\d\d-[a-z0-9-]+?)(-(?P<attempt>\d+))?\.ipynb$"
)


@dataclass
class Submission:
    student: str
    chapter: str
    notebook: bytes | None  # None: not submitted
    timestamp: str | None = None
    extra: list[str] = field(default_factory=list)  # files that were ignored
    problem: str | None = None  # why the notebook could not be read
    #: nbgrader exchange's submission_secret.txt: the key by which its
    #: release_feedback and fetch_feedback match the feedback page to the
    #: student's submission (it grades nothing)
    secret: str | None = None


def student_id(name: str) -> str:
    """A file or folder name as text, kept exactly: each byte that is not
    UTF-8 becomes ``\\xNN`` and a backslash ``\\\\``, so that two names never
    become one, and the name can be read back (:func:`file_name`)."""
    raw = os.fsencode(name).replace(b"\\", b"\\\\")
    return raw.decode("utf-8", "backslashreplace")


def file_name(student: str) -> str:
    """The file or folder name that :func:`student_id` made ``student`` of."""
    raw, at = bytearray(), 0
    while at < len(student):
        if student.startswith("\\\\", at):
            raw += b"\\"
            at += 2
        elif student.startswith("\\x", at):
            raw.append(int(student[at + 2 : at + 4], 16))
            at += 4
        else:
            raw += student[at].encode("utf-8")
            at += 1
    return os.fsdecode(bytes(raw))


def _visible(path: Path) -> bool:
    return not path.name.startswith(".") and path.name not in IGNORED_NAMES


def _chapter_file(folder: Path, chapter: str) -> tuple[Path | None, list[Path]]:
    """(notebook, receipts found beside it) of ``chapter`` in a student folder."""
    nested = folder / chapter / f"{chapter}.ipynb"
    if nested.is_file():
        receipts = [folder / chapter / name for name in RECEIPTS]
        return nested, [path for path in receipts if path.is_file()]
    flat = folder / f"{chapter}.ipynb"
    if flat.is_file():
        return flat, []
    return None, []


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


@dataclass
class Collected:
    """``students``: ``{student: {chapter: Submission}}``; ``ignored``: every
    other file found, with what became of it."""

    students: dict[str, dict[str, Submission]]
    ignored: list[tuple[str, str]] = field(default_factory=list)

    def chapters_handed_in(self) -> set[str]:
        """The chapters of which at least one student handed in a notebook
        (every student has a Submission for every chapter, most of them
        empty)."""
        return {
            submission.chapter
            for by_chapter in self.students.values()
            for submission in by_chapter.values()
            if submission.notebook is not None
        }


def _read_bytes(path: Path, refused: dict) -> tuple[bytes | None, str | None]:
    if path in refused:
        return None, f"the zip's file {path.name} was refused: {refused[path]}"
    if path.is_symlink():
        return None, "it is a symbolic link, not a file"
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        limit = MAX_NOTEBOOK_BYTES // 1024**2
        return None, f"it is {size / 1024**2:.0f} MB, over the limit of {limit} MB"
    return path.read_bytes(), None


def _submission(student, chapter, notebook, receipts, extra, refused) -> Submission:
    """What a worker needs of one chapter of one student."""
    content, problem = _read_bytes(notebook, refused) if notebook else (None, None)
    read = {path.name: path.read_text(errors="replace") for path in receipts}
    timestamp = read.get("timestamp.txt")
    return Submission(
        student,
        chapter,
        content if not problem else b"",
        timestamp.strip() if timestamp is not None else None,
        extra,
        problem,
        secret=read.get("submission_secret.txt"),
    )


def _entries(folder: Path) -> list[Path]:
    """Files and links under ``folder``; links are not followed."""
    found = []
    for parent, folders, files in os.walk(folder):
        links = [name for name in folders if os.path.islink(os.path.join(parent, name))]
        found += [Path(parent, name) for name in files + links]
    return found


def _collect_folders(root: Path, chapter_ids: list[str], refused: dict) -> Collected:
    collected = Collected({})
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and _visible(p)):
        student = student_id(student_dir.name)
        files = {p for p in _entries(student_dir) if _visible(p)}
        chapter_files = {}
        for chapter in chapter_ids:
            notebook, receipts = _chapter_file(student_dir, chapter)
            chapter_files[chapter] = (notebook, receipts)
            files -= {notebook, *receipts}
        extra = sorted(student_id(str(p.relative_to(student_dir))) for p in files)
        collected.ignored += [
            (f"{student}/{name}", "not a chapter's notebook (named on its page)")
            for name in extra
        ]
        collected.students[student] = {
            chapter: _submission(student, chapter, notebook, receipts, extra, refused)
            for chapter, (notebook, receipts) in chapter_files.items()
        }
    for path in (p for p in root.iterdir() if not p.is_dir() and _visible(p)):
        collected.ignored.append((student_id(path.name), "not in a student's folder"))
    return collected


def _lms_student(info: dict) -> str:
    """The student of an LMS file name: its name, and the LMS's user id
    where the pattern has one (two users of one name are two students)."""
    name = student_id(info["student_id"])
    return f"{name}_{info['user_id']}" if info.get("user_id") else name


def _collect_lms(root: Path, chapter_ids: list[str], pattern: str, refused: dict):
    """Files named by an LMS, matched by nbgrader's zip_collect plugin."""
    from nbgrader.plugins import FileNameCollectorPlugin

    plugin = FileNameCollectorPlugin(named_regexp=pattern)
    plugin.log.setLevel(logging.ERROR)
    attempts: dict[str, dict[str, list]] = {}
    ignored = []
    for path in sorted(p for p in _entries(root) if _visible(p)):
        name = student_id(str(path.relative_to(root)))
        info = plugin.collect(str(path.relative_to(root)))
        if not info or Path(info["file_id"]).stem not in chapter_ids:
            why = "its name names no student" if not info else "not a graded chapter"
            ignored.append((name, why))
            continue
        # Several attempts: the latest (by the pattern's timestamp group, then
        # its attempt group: Canvas numbers resubmissions "-1", "-2", ...).
        order = (info.get("timestamp") or "", int(info.get("attempt") or 0), path)
        chapter = Path(info["file_id"]).stem
        by_chapter = attempts.setdefault(_lms_student(info), {})
        by_chapter.setdefault(chapter, []).append(order)
    collected = Collected({}, ignored)
    for student, by_chapter in sorted(attempts.items()):
        chosen = {}
        for chapter, found in by_chapter.items():
            *older, latest = sorted(found)
            chosen[chapter] = latest[-1]
            collected.ignored += [
                (student_id(str(o[-1].relative_to(root))), "an earlier attempt")
                for o in older
            ]
        collected.students[student] = {
            chapter: _submission(student, chapter, chosen.get(chapter), [], [], refused)
            for chapter in chapter_ids
        }
        # The pattern's timestamp group, where it has one, is the submission
        # time that the late-work policy measures.
        for chapter, found in by_chapter.items():
            stamp = max(found)[0]
            if stamp:
                collected.students[student][chapter].timestamp = stamp
    return collected


def collect(
    folder: Path,
    chapter_ids: list[str],
    pattern: str = LMS_PATTERN,
    refused: dict | None = None,
) -> Collected:
    """Every student's submissions: from student folders, or else from file
    names an LMS gave (``pattern``). ``refused``: files the zip's limits
    kept out, by path, with why."""
    refused = refused or {}
    root = _student_root(folder, chapter_ids)
    found = _collect_folders(root, chapter_ids, refused)
    students = found.students.values()
    if not any(s.notebook is not None for c in students for s in c.values()):
        lms = _collect_lms(root, chapter_ids, pattern, refused)
        if lms.students:
            return lms
    return found


def id_problems(students: list[str]) -> list[str]:
    """Why some ids cannot be graded apart: an id that names no folder of its
    own (empty, ``.``, ``..``, a path separator), or ids that differ only in
    case or Unicode form (one folder on macOS's and Windows's disks)."""
    problems, alike = [], {}
    for student in students:
        if student.strip() in ("", ".", "..") or any(c in student for c in "/\0"):
            problems.append(f"{student!r} cannot be a folder's name")
        key = unicodedata.normalize("NFC", student).casefold()
        alike.setdefault(key, []).append(student)
    problems += [
        " and ".join(repr(s) for s in same) + " differ only in case or Unicode form"
        for same in alike.values()
        if len(same) > 1
    ]
    return problems


def check_ids(collected: Collected) -> None:
    """Stop before anything is graded when ids cannot be graded apart."""
    problems = id_problems(list(collected.students))
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise SystemExit(
            "These student ids cannot be graded apart:\n"
            f"{lines}\nRename their folders or files and run again; nothing "
            "was graded."
        )


def unpack(submissions: Path, into: Path) -> Unpacked:
    """The folder of submissions: ``submissions`` itself, or a zip unpacked
    within its limits (:mod:`.archive`)."""
    if submissions.is_dir():
        return Unpacked(submissions)
    if not submissions.exists():
        raise SystemExit(f"{submissions} does not exist: name a folder or a .zip.")
    if zipfile.is_zipfile(submissions):
        return unpack_zip(submissions, into)
    raise SystemExit(f"{submissions} is neither a folder nor a .zip file.")


def collect_class(
    submissions: Path, into: Path, chapter_ids: list[str], pattern: str
) -> Collected:
    """Every student's submissions in a folder or zip (unpacked into ``into``);
    stop with the expected layout when there are none, and with a list when
    ids cannot be graded apart."""
    unpacked = unpack(submissions, into)
    found = collect(unpacked.folder, chapter_ids, pattern, unpacked.refused)
    found.ignored += [
        (student_id(name), "its path leads out of the zip's folder")
        for name in unpacked.skipped
    ]
    if not found.students:
        raise SystemExit(
            f"No submissions in {submissions}: expected folders STUDENT/ with "
            "CHAPTER.ipynb or CHAPTER/CHAPTER.ipynb, or files an LMS named "
            f"(matched by --pattern {pattern!r})."
        )
    check_ids(found)
    return found
