"""Steps 5 and 6, record and report: the one gradebook writer, rows, CSV, summary.

The coordinator alone writes the real gradebook, with ``nbgrader autograde
--no-execute`` pointed at the notebooks the workers executed, never at the
original submissions (which would give an empty answer full marks). Then one
:class:`Row` per student, chapter and graded cell goes to ``grades.csv``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.utils import is_grade

from nncourse.course import Course
from nncourse.grade.options import GradeOptions
from nncourse.grade.results import Findings, Result, Status, classify
from nncourse.grade.worker import VALIDATE_ONCE
from nncourse.preprocessors.cells import grade_id
from nncourse.spreadsheet import neutralised

CSV_FIELDS = [
    "student_id",
    "chapter",
    "cell",
    "score",
    "max_score",
    "status",
    "message",
]
Results = dict[str, dict[str, Result]]  # student -> chapter -> result


@dataclass
class Row:
    student_id: str
    chapter: str
    cell: str
    score: float
    max_score: float
    status: Status
    message: str

    def as_csv(self) -> dict[str, str]:
        """The CSV fields: numbers as numbers, every text neutralised."""
        return {
            "student_id": neutralised(self.student_id),
            "chapter": neutralised(self.chapter),
            "cell": neutralised(self.cell),
            "score": f"{self.score:g}",
            "max_score": f"{self.max_score:g}",
            "status": self.status.value,
            "message": neutralised(self.message),
        }


def graded_cells(course: Course, chapter: str) -> list[tuple[str, float]]:
    """(grade_id, points) of the chapter's graded cells, in notebook order."""
    source = nbformat.read(course.source(chapter), 4)
    return [
        (grade_id(cell), float(cell.metadata.nbgrader.get("points", 0)))
        for cell in source.cells
        if is_grade(cell)
    ]


def _write_executed(results: Results, executed: Path) -> None:
    for student, by_chapter in results.items():
        for chapter, result in by_chapter.items():
            if result.notebook is None:
                continue
            folder = executed / student / chapter
            folder.mkdir(parents=True)
            (folder / f"{chapter}.ipynb").write_bytes(result.notebook)
            if result.timestamp:
                (folder / "timestamp.txt").write_text(result.timestamp)


def record(options: GradeOptions, results: Results, executed: Path) -> None:
    """Record the executed notebooks (written to ``executed``) in the real
    gradebook."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _write_executed(results, executed)
    config = options.config_with(
        {
            "CourseDirectory": {
                "db_url": options.db_url,
                "submitted_directory": str(executed),
            },
            "Execute": {"enabled": False},
            "ClearOutput": {"enabled": False},
            # The workers judged the probes; their verdicts are recorded.
            "Probes": {"enabled": False},
            **VALIDATE_ONCE,
        }
    )
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    for chapter in options.chapters:
        if not any(executed.glob(f"*/{chapter}")):
            continue
        # autograde --force replaces a student's earlier record: a run
        # stopped halfway and run again records each notebook once.
        outcome = api.autograde(chapter, "*", force=True)
        if not outcome["success"]:
            raise SystemExit(
                f"nbgrader autograde failed for {chapter}:\n"
                f"{outcome.get('log', '')}{outcome.get('error', '')}"
            )


#: The row of a chapter's late-work penalty (negative; nbgrader's own).
LATE_PENALTY = "late-penalty"


def _scores(gradebook, chapter: str, student: str, result: Result):
    """(grade_id -> score, late penalty, status, message); a notebook the
    gradebook lacks counts as crashed."""
    from nbgrader.api import MissingEntry

    if result.notebook is None:
        return {}, 0.0, result.status, result.message
    try:
        notebook = gradebook.find_submission_notebook(chapter, chapter, student)
    except MissingEntry:
        return {}, 0.0, *classify(Findings(finished=False))
    scores = {g.name: g.score for g in notebook.grades}
    penalty = float(notebook.late_submission_penalty or 0)
    return scores, penalty, result.status, result.message


def rows(options: GradeOptions, results: Results) -> list[Row]:
    """One row per student, chapter and graded cell, from the real gradebook,
    and a :data:`LATE_PENALTY` row where the late-work policy took points."""
    from nbgrader.api import Gradebook

    from nncourse.late import LatePolicy

    policy = LatePolicy(config=options.config)
    found = []
    with Gradebook(options.db_url) as gradebook:
        for student in sorted(results):
            for chapter in options.chapters:
                result = results[student][chapter]
                scores, penalty, status, message = _scores(
                    gradebook, chapter, student, result
                )
                found += [
                    Row(
                        student,
                        chapter,
                        cell,
                        float(scores.get(cell) or 0),
                        points,
                        status,
                        message,
                    )
                    for cell, points in graded_cells(options.course, chapter)
                ]
                if penalty > 0:
                    raw = sum(float(score or 0) for score in scores.values())
                    late = policy.lateness(student, chapter, result.timestamp)
                    said = late.sentence(raw) if late else "Submitted late."
                    found.append(
                        Row(student, chapter, LATE_PENALTY, -penalty, 0.0, status, said)
                    )
    return found


def csv_text(found: list[Row]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    writer.writerows(row.as_csv() for row in found)
    return buffer.getvalue()


def summary(found: list[Row]) -> str:
    """A short table: students, chapters, mean score, problems by status."""
    students = sorted({row.student_id for row in found})
    lines = [f"{'chapter':<20} {'students':>8} {'mean score':>14}  problems"]
    for chapter in sorted({row.chapter for row in found}):
        mine = [row for row in found if row.chapter == chapter]
        total = sum(row.score for row in mine)
        possible = sum(row.max_score for row in mine)
        per_student = {(row.student_id, row.status.value) for row in mine}
        problems = Counter(status for _, status in per_student if status != "ok")
        mean = total / len(students) if students else 0
        out_of = possible / len(students) if students else 0
        lines.append(
            f"{chapter:<20} {len(students):>8} {mean:>7.2f} / {out_of:<4g}  "
            + (", ".join(f"{n} {s}" for s, n in sorted(problems.items())) or "none")
        )
    return "\n".join(lines)
