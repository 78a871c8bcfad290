"""``nncourse export ... --feedback-zip``: one chapter's feedback pages in one
zip, each named as the LMS's bulk feedback upload reads it.

The pages are ``OUT/feedback/STUDENT/CHAPTER/CHAPTER.html`` of ``nncourse
grade``; a student is matched by the LMS's number at the end of the id
(``doejane_12345``, :data:`nncourse.lms.USER_NUMBER`), never by name. A name
in a member's name is only what the LMS itself would write there, cleaned of
anything that could make a path.

**Moodle** (mod/assign/feedback/file/importziplib.php,
``is_valid_filename_for_import``): "Upload multiple feedback files in a zip"
splits each folder of a member's path at ``_`` and takes the second part as
the participant id (the worksheet's ``Participant N``), the next two as the
plugin that made the folder, and what follows as the file. We write the
folder as "Download all submissions" does (mod/assign/classes/downloader.php:
the full name with ``_`` made a space, then ``_N_assignsubmission_file``)
with the trailing ``_`` of Moodle before 4.1, which the importer of every
version reads: ``Jane Doe_12345_assignsubmission_file_/01-modules.html``.

**Canvas** (app/models/abstract_assignment.rb,
``infer_comment_context_from_filename``): "Re-Upload Submissions" splits a
member's file name at ``_``, drops ``LATE``, and reads the first two numbers
as the user id and the id of a file *of that user's submission*; any other
member is ignored. So the numbers come from the assignment's "Download
Submissions" zip (lib/content_zipper.rb: ``login[_LATE]_USERID_FILEID_name``),
which ``--submissions`` gives: ``doejane_LATE_12345_67890_01-modules.html``.
Canvas shows the page under the submitted file's own name.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nncourse.lms import MOODLE_ID, MOODLE_PARTICIPANT, USER_NUMBER, read_table

#: A chapter's notebook at the end of a downloaded file's name, as
#: ``nncourse grade`` reads it (Canvas numbers a resubmission ``-1``).
CHAPTER_FILE = re.compile(r"([0-9][0-9]-[a-z0-9-]+?)(?:-([0-9]+))?\.ipynb$")
#: What Moodle's ``clean_filename`` takes out of a name (PARAM_FILE), and
#: the runs of dots that its older versions took out too.
MOODLE_UNSAFE = re.compile(r"[\x00-\x1f\x7f&<>\"`|':\\/]|\.\.+")
MOODLE_PLUGIN = "assignsubmission_file"
#: Tokens that Canvas's reader treats specially where a login would stand.
CANVAS_RESERVED = {"anon", "LATE"}


class FeedbackError(ValueError):
    """The pages or the LMS's file cannot be packaged; says what to do."""


@dataclass
class Pages:
    """One chapter's feedback pages, by LMS number."""

    chapter: str
    by_number: dict[str, Path]
    students: dict[str, str]  # LMS number -> student id
    unnumbered: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)  # "number: id, id"


def read_pages(feedback: Path, chapter: str) -> Pages:
    """The pages of ``chapter`` under ``feedback`` (``OUT/feedback``)."""
    if not feedback.is_dir():
        raise FeedbackError(
            f"no feedback folder at {feedback}: `nncourse grade --out OUT` writes "
            "the pages to OUT/feedback; give that folder with --feedback "
            "OUT/feedback."
        )
    found: dict[str, list[tuple[str, Path]]] = {}
    unnumbered = []
    for folder in sorted(feedback.iterdir()):
        page = folder / chapter / f"{chapter}.html"
        # The grader writes every page; a link is none of its making.
        if folder.is_symlink() or page.is_symlink() or not page.is_file():
            continue
        number = USER_NUMBER.search(folder.name)
        if number is None:
            unnumbered.append(folder.name)
            continue
        found.setdefault(number.group(1), []).append((folder.name, page))
    if not found and not unnumbered:
        raise FeedbackError(
            f"{feedback} holds no page of {chapter} "
            f"(STUDENT/{chapter}/{chapter}.html): is it the chapter that was graded?"
        )
    pages = Pages(chapter, {}, {}, unnumbered)
    for number, claims in sorted(found.items(), key=lambda item: int(item[0])):
        if len(claims) > 1:  # one number, two names: which is it? not ours to say
            pages.ambiguous.append(f"{number}: {', '.join(s for s, _ in claims)}")
            continue
        pages.students[number], pages.by_number[number] = claims[0]
    return pages


@dataclass
class Package:
    """The zip's members (name in the zip -> page) and who is on one side."""

    lms: str
    chapter: str
    members: dict[str, Path]
    only_pages: list[str] = field(default_factory=list)
    only_lms: list[str] = field(default_factory=list)
    unnumbered: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # LMS names not read

    def data(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, page in sorted(self.members.items()):
                archive.writestr(safe_member(name), page.read_bytes())
        return out.getvalue()

    def write(self, out: Path) -> None:
        """The whole zip or none: written beside, then renamed."""
        partial = out.with_name(out.name + ".partial")
        partial.write_bytes(self.data())
        os.replace(partial, out)


def safe_member(name: str) -> str:
    """``name`` if it stays inside the zip's folder when unpacked; the names
    are built from cleaned parts, so a failure here is a bug of ours."""
    parts = name.split("/")
    if (
        "\\" in name
        or name.startswith("/")
        or len(parts) > 2
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise AssertionError(f"unsafe name in the feedback zip: {name!r}")
    return name


def moodle_folder(full_name: str, participant: str) -> str:
    """The folder Moodle's download names, read back by its importer."""
    name = MOODLE_UNSAFE.sub("", full_name.replace("_", " ")).strip(" .")
    return f"{name or 'Participant'}_{participant}_{MOODLE_PLUGIN}_"


def moodle(pages: Pages, worksheet: str) -> Package:
    """Moodle: a folder per participant of the chapter's grading worksheet."""
    header, rows = read_table(worksheet, MOODLE_ID, "Moodle")
    identifier = header.index(MOODLE_ID)
    named = header.index("Full name") if "Full name" in header else None
    package, packaged = _sides("moodle", pages), set()
    for row in rows:
        participant = MOODLE_PARTICIPANT.match(row[identifier].strip())
        if participant is None:
            continue
        number = participant.group(1)
        if number not in pages.by_number:
            package.only_lms.append(number)
            continue
        folder = moodle_folder(row[named] if named is not None else "", number)
        package.members[f"{folder}/{pages.chapter}.html"] = pages.by_number[number]
        packaged.add(number)
    return _done(package, pages, packaged)


@dataclass
class CanvasFile:
    """One file of Canvas's "Download Submissions", read as Canvas reads it."""

    login: str
    late: bool
    user: str
    file_id: str
    chapter: str | None
    attempt: int

    @classmethod
    def read(cls, name: str) -> CanvasFile | None:
        tokens = name.split("_")
        late = "LATE" in tokens
        kept = [t for t in tokens if t != "LATE"]
        numbers = [i for i, t in enumerate(kept) if re.fullmatch(r"[0-9]+", t)]
        if not kept or kept[0] == "anon" or len(numbers) < 2:
            return None  # anonymous grading, or not Canvas's name
        user, file_id = numbers[:2]
        chapter = CHAPTER_FILE.search("_".join(kept[file_id + 1 :]))
        return cls(
            "_".join(kept[:user]),
            late,
            kept[user],
            kept[file_id],
            chapter.group(1) if chapter else None,
            int(chapter.group(2) or 0) if chapter else 0,
        )

    def member(self, chapter: str) -> str:
        """Named as Canvas's download names it, with the page's own ending."""
        login = re.sub(r"[\W_]+", "", self.login)
        if not login or login.isdigit() or login in CANVAS_RESERVED:
            login = "student"  # would be read as a number or a keyword
        late = "_LATE" if self.late else ""
        return f"{login}{late}_{self.user}_{self.file_id}_{chapter}.html"


def download_names(submissions: Path) -> list[str]:
    """The file names (never the contents) of Canvas's download: its zip, or
    the folder it was unpacked into."""
    if submissions.is_dir():
        paths = [p for p in submissions.rglob("*") if p.is_file()]
        return sorted(p.name for p in paths)
    try:
        with zipfile.ZipFile(submissions) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (OSError, zipfile.BadZipFile) as error:
        raise FeedbackError(
            f"{submissions} is not a zip ({error}): give the assignment's "
            "'Download Submissions' zip, or the folder it was unpacked into."
        ) from error
    return sorted(re.split(r"[/\\]", name)[-1] for name in names)


def canvas(pages: Pages, names: list[str]) -> Package:
    """Canvas: a file per student of the download who has a page."""
    package, packaged = _sides("canvas", pages), set()
    latest: dict[str, tuple[tuple[int, str], CanvasFile]] = {}
    for name in names:
        found = CanvasFile.read(name)
        if found is None or found.chapter != pages.chapter:
            package.skipped.append(f"{name} ({_why_not(found)})")
            continue
        # Several files of the chapter: the one `nncourse grade` graded.
        order = (found.attempt, name)
        if found.user not in latest or order > latest[found.user][0]:
            latest[found.user] = (order, found)
    for user, (_, found) in sorted(latest.items(), key=lambda item: int(item[0])):
        if user not in pages.by_number:
            package.only_lms.append(user)
            continue
        package.members[found.member(pages.chapter)] = pages.by_number[user]
        packaged.add(user)
    return _done(package, pages, packaged)


def _why_not(found: CanvasFile | None) -> str:
    if found is None:
        return "anonymous, or not a name Canvas gave"
    if found.chapter is None:
        return "not a chapter's notebook"
    return f"a file of {found.chapter}"


def _sides(lms: str, pages: Pages) -> Package:
    return Package(
        lms, pages.chapter, {}, unnumbered=pages.unnumbered, ambiguous=pages.ambiguous
    )


def _done(package: Package, pages: Pages, packaged: set[str]) -> Package:
    """The pages no LMS row took are on the pages' side only."""
    package.only_pages = [n for n in pages.by_number if n not in packaged]
    return package


def report(package: Package, out: Path) -> str:
    """What the instructor reads: what was packaged, and who was not."""
    upload = {
        "moodle": "the assignment's 'Upload multiple feedback files in a zip'",
        "canvas": "the assignment's 'Re-Upload Submissions'",
    }[package.lms]
    lines = [
        f"Wrote {out}: {len(package.members)} feedback page(s) of "
        f"{package.chapter}, for {upload}."
    ]
    sides = [
        ("Pages with no student in the LMS's file (not packaged)", package.only_pages),
        ("In the LMS's file, but no page (nothing to send)", package.only_lms),
        ("Student ids with no LMS number, not packaged", package.unnumbered),
        ("One LMS number, several students (not packaged)", package.ambiguous),
        ("Downloaded files not read", package.skipped),
    ]
    lines += [f"{title}: {', '.join(names)}" for title, names in sides if names]
    return "\n".join(lines)
