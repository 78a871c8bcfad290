"""``nncourse export canvas|moodle``: the chapters' scores of ``grades.csv``
written into the LMS's own gradebook file, ready for its import.

Students are matched by the number the LMS put in their submissions' file
names, which ``nncourse grade`` keeps in each student id (``doejane_12345``),
never by name. Every row and column of the LMS's file stays as it was, except
the chapters' scores; students found on one side only are listed. The
chapter's feedback pages go with them in a zip: :mod:`nncourse.lms_feedback`.

**Canvas**: Grades, Export, "Export Entire Gradebook" (Canvas guide "How do I
export grades in the Gradebook?"; imported back with "How do I import grades
in the Gradebook?"). Its columns are ``Student, ID, SIS User ID, SIS Login
ID, Section``, one per assignment, ``Assignment name (assignment id)``, then
read-only totals; its second row is ``Points Possible``. ``ID`` is the Canvas
user id that names each downloaded submission. A chapter's column is the
assignment named as the chapter (``01-modules (4321)``); where there is none,
a column ``01-modules`` is added with its points possible, which the import
creates as a new assignment.

**Moodle**: an assignment's "Download grading worksheet" (Moodle docs,
Assignment settings: "Offline grading worksheet"), one per chapter
(``--chapter``). Its columns are ``Identifier, Full name, Email address,
Status, Grade, Maximum Grade, Grade can be changed, Last modified
(submission), Last modified (grade), Feedback comments``; ``Identifier`` is
``Participant 12345``, the number that names the student's downloaded files.
``Grade`` is filled in, scaled to ``Maximum Grade``; "Upload grading
worksheet" reads it back.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

#: The LMS's number at the end of a student id (``doejane_12345``).
USER_NUMBER = re.compile(r"_(\d+)$")
CANVAS_ID = "ID"
CANVAS_POINTS = "Points Possible"
MOODLE_ID = "Identifier"
MOODLE_PARTICIPANT = re.compile(r"^Participant (\d+)$")


class ExportError(ValueError):
    """The LMS's file is not the export the command expects."""


@dataclass
class Scores:
    """chapter -> LMS number -> (score, max score), from ``grades.csv``."""

    by_chapter: dict[str, dict[str, tuple[float, float]]]
    not_ok: dict[str, list[str]]  # LMS number -> "chapter: status"
    unnumbered: list[str]  # student ids without an LMS number

    @classmethod
    def read(cls, grades: Path) -> Scores:
        totals: dict = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
        not_ok: dict[str, set[str]] = defaultdict(set)
        unnumbered = set()
        with open(grades, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                student = row["student_id"].removeprefix("'")
                number = USER_NUMBER.search(student)
                if number is None:
                    unnumbered.add(student)
                    continue
                total = totals[row["chapter"]][number.group(1)]
                total[0] += float(row["score"])
                total[1] += float(row["max_score"])
                if row["status"] != "ok":
                    not_ok[number.group(1)].add(f"{row['chapter']}: {row['status']}")
        by_chapter = {
            chapter: {number: (s, m) for number, (s, m) in students.items()}
            for chapter, students in totals.items()
        }
        return cls(
            by_chapter,
            {number: sorted(found) for number, found in not_ok.items()},
            sorted(unnumbered),
        )

    def numbers(self, chapters: list[str]) -> set[str]:
        return {n for chapter in chapters for n in self.by_chapter.get(chapter, {})}


@dataclass
class Export:
    header: list[str]
    rows: list[list[str]]
    only_in_lms: list[str] = field(default_factory=list)
    only_in_grades: list[str] = field(default_factory=list)

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue()


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def read_table(text: str, needed: str, lms: str) -> tuple[list[str], list[list[str]]]:
    """The LMS's CSV: its header and its rows padded to the header's width;
    an :class:`ExportError` that says what to download if ``needed`` is not
    a column."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or needed not in rows[0]:
        raise ExportError(
            f"the file has no {needed!r} column, so it is not {lms}'s export: "
            + (
                "download it with Grades, Export, 'Export Entire Gradebook'."
                if lms == "Canvas"
                else "download it with the assignment's 'Download grading worksheet'."
            )
        )
    width = len(rows[0])
    return rows[0], [row + [""] * (width - len(row)) for row in rows[1:]]


def canvas_column(header: list[str], chapter: str) -> int | None:
    """The column of the assignment named as ``chapter``, if there is one."""
    pattern = re.compile(rf"^{re.escape(chapter)}( \(\d+\))?$")
    found = [i for i, title in enumerate(header) if pattern.match(title.strip())]
    return found[0] if found else None


def canvas(text: str, scores: Scores, chapters: list[str]) -> Export:
    """Canvas's gradebook export with the chapters' scores filled in."""
    header, rows = read_table(text, CANVAS_ID, "Canvas")
    id_column = header.index(CANVAS_ID)
    columns = {}
    for chapter in chapters:
        column = canvas_column(header, chapter)
        if column is None:
            header.append(chapter)
            rows = [row + [""] for row in rows]
            column = len(header) - 1
        columns[chapter] = column
    seen = set()
    for row in rows:
        number = row[id_column].strip()
        if row[0].strip() == CANVAS_POINTS:
            for chapter, column in columns.items():
                maxima = [m for _, m in scores.by_chapter.get(chapter, {}).values()]
                if not row[column].strip() and maxima:
                    row[column] = _number(max(maxima))
            continue
        if not number.isdigit():
            continue  # another of Canvas's header rows
        seen.add(number)
        for chapter, column in columns.items():
            if number in scores.by_chapter.get(chapter, {}):
                row[column] = _number(scores.by_chapter[chapter][number][0])
    return _with_sides(Export(header, rows), seen, scores, chapters)


def moodle(text: str, scores: Scores, chapter: str) -> Export:
    """Moodle's grading worksheet of ``chapter`` with the grades filled in."""
    header, rows = read_table(text, MOODLE_ID, "Moodle")
    grade, maximum = header.index("Grade"), header.index("Maximum Grade")
    identifier = header.index(MOODLE_ID)
    chapter_scores = scores.by_chapter.get(chapter, {})
    seen = set()
    for row in rows:
        participant = MOODLE_PARTICIPANT.match(row[identifier].strip())
        if participant is None:
            continue
        number = participant.group(1)
        seen.add(number)
        if number in chapter_scores:
            score, possible = chapter_scores[number]
            scale = float(row[maximum] or possible) / possible if possible else 1.0
            row[grade] = _number(score * scale)
    return _with_sides(Export(header, rows), seen, scores, [chapter])


def _with_sides(export: Export, seen: set[str], scores: Scores, chapters) -> Export:
    graded = scores.numbers(chapters)
    export.only_in_lms = sorted(seen - graded, key=int)
    export.only_in_grades = sorted(graded - seen, key=int)
    return export


def report(export: Export, scores: Scores, out: Path) -> str:
    """What the instructor reads: what was written, and who is on one side."""
    lines = [f"Wrote {out}: {len(export.rows)} rows, every other column unchanged."]
    if export.only_in_grades:
        lines.append(
            "Graded, but not in the LMS's file (no score written): "
            + ", ".join(export.only_in_grades)
        )
    if export.only_in_lms:
        lines.append(
            "In the LMS's file, but not graded (left as they were): "
            + ", ".join(export.only_in_lms)
        )
    if scores.unnumbered:
        lines.append(
            "Student ids with no LMS number (graded from folders?), not matched: "
            + ", ".join(scores.unnumbered)
        )
    problems = [f"{n} ({'; '.join(s)})" for n, s in sorted(scores.not_ok.items())]
    if problems:
        lines.append(
            "Written as graded, but not 'ok' (read them first): " + ", ".join(problems)
        )
    return "\n".join(lines)
