"""``nncourse grade``: grade a folder or zip of submissions with nbgrader.

The pipeline, thin over nbgrader's own API:

1. **Collect**: find ``STUDENT/CHAPTER.ipynb`` or ``STUDENT/CHAPTER/CHAPTER.ipynb``
   (nbgrader's layout, with its ``timestamp.txt``) in a folder or a ``.zip``.
2. **Prepare**: ``generate_assignment`` each chapter twice from ``solutions/``, both
   times in a temporary course: once into a template gradebook that every worker
   copies, once into the real gradebook (so the committed ``notebooks/`` is never
   rewritten).
3. **Execute** on a Dask cluster (a ``LocalCluster`` of ``--workers`` processes with
   one thread each, or an existing one through ``--scheduler``): one task per
   student runs ``nbgrader autograde`` in-process in a private temporary course with
   a throwaway gradebook and returns the executed notebooks.
4. **Record**: the coordinator alone writes the real gradebook, with
   ``nbgrader autograde --no-execute`` pointed at the notebooks the workers
   executed, never at the original submissions (which would give an empty answer
   full marks).
5. **Report**: ``grades.csv`` (one row per student, chapter and graded cell),
   feedback HTML from ``generate_feedback`` with hidden tests removed, and a summary.

Not yet sandboxed: student code runs as the grading user, with that user's
files and network in reach; see the instructor guide.
"""

from __future__ import annotations

import csv
import logging
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from nncourse.course import REPO, chapters, nbgrader_config, put_environment_on_path
from nncourse.release import generate_in

STATUSES = ("ok", "timeout", "crashed", "invalid", "missing", "tampered")
CSV_FIELDS = [
    "student_id",
    "chapter",
    "cell",
    "score",
    "max_score",
    "status",
    "message",
]
TIMEOUT_ERRORS = {"CellTimeoutError", "KeyboardInterrupt"}
HIDDEN_TESTS = "### BEGIN HIDDEN TESTS"
IGNORED_NAMES = {"__MACOSX"}

MESSAGES = {
    "ok": "",
    "missing": "No notebook was submitted for this chapter.",
    "invalid": "The submitted file is not a readable Jupyter notebook ({detail}); "
    "it was not graded. Open it in JupyterLab, save it again and resubmit.",
    "timeout": "Cell {cell} ran longer than the limit of {limit} seconds and was "
    "stopped; the cells after it ran as usual.",
    "tampered": "Test cell {cells} was {how} in the submission; the grader put "
    "back and ran the original test.",
    "crashed": "Grading this notebook stopped before it finished (its kernel died "
    "or could not be stopped); it was not graded.",
}


# --------------------------------------------------------------------------- collect


@dataclass
class Submission:
    student: str
    chapter: str
    notebook: bytes | None  # None: not submitted
    timestamp: str | None = None


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


def collect(folder: Path, chapter_ids: list[str]) -> dict[str, dict[str, Submission]]:
    """``{student: {chapter: Submission}}`` for every student folder."""
    root = _student_root(folder, chapter_ids)
    found: dict[str, dict[str, Submission]] = {}
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and _visible(p)):
        student = student_dir.name
        found[student] = {}
        for chapter in chapter_ids:
            notebook, timestamp = _chapter_file(student_dir, chapter)
            found[student][chapter] = Submission(
                student,
                chapter,
                notebook.read_bytes() if notebook else None,
                timestamp.read_text().strip() if timestamp else None,
            )
    return found


def unpack(submissions: Path, into: Path) -> Path:
    """The folder of submissions: ``submissions`` itself, or a zip unpacked."""
    if submissions.is_dir():
        return submissions
    if zipfile.is_zipfile(submissions):
        # ZipFile.extractall drops absolute paths and ``..`` components.
        with zipfile.ZipFile(submissions) as archive:
            archive.extractall(into)
        return into
    raise SystemExit(f"{submissions} is neither a folder nor a .zip file.")


# -------------------------------------------------------------- course preparation


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


# ------------------------------------------------------------------ worker side


def _read_notebook(content: bytes):
    """The notebook, or the plain reason it cannot be graded."""
    try:
        notebook = nbformat.reads(content.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except UnicodeDecodeError:
        return None, "it is not UTF-8 text"
    except ValueError:  # nbformat's NotJSONError is a ValueError
        return None, "it is not valid JSON"
    except Exception:  # nbformat.ValidationError and its kin
        return None, "it does not follow the notebook format"
    return notebook, None


def _timed_out_cell(notebook) -> str | None:
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and (
                output.get("ename") in TIMEOUT_ERRORS
            ):
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                return grade_id or f"number {index + 1}"
    return None


def _test_cells(notebook) -> dict[str, str]:
    """grade_id -> source of the locked graded (test) cells."""
    cells = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            cells[meta["grade_id"]] = cell.source.strip()
    return cells


def _tampering(notebook, release) -> str | None:
    """A message naming the release's test cells deleted or edited, if any."""
    submitted = _test_cells(notebook)
    problems = []
    for grade_id, source in _test_cells(release).items():
        if grade_id not in submitted:
            problems.append((grade_id, "deleted"))
        elif submitted[grade_id] != source:
            problems.append((grade_id, "edited"))
    if not problems:
        return None
    return MESSAGES["tampered"].format(
        cells=", ".join(grade_id for grade_id, _ in problems),
        how=" or ".join(sorted({how for _, how in problems})),
    )


def grade_student(
    student: str,
    submissions: dict[str, dict],
    template: dict[str, bytes],
    config,
    timeout: int | None,
) -> dict[str, dict]:
    """Run on a Dask worker: execute one student's chapters with ``nbgrader
    autograde`` in a private course with a throwaway gradebook.

    ``submissions`` maps chapter -> ``{"notebook": bytes|None, "timestamp": ...}``;
    returns chapter -> ``{"status", "message", "notebook" (executed bytes or None),
    "timestamp"}``.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    put_environment_on_path()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix=f"nncourse-grade-{student}-") as tmp:
        course = Path(tmp)
        _write_files(course, template)
        overrides = {
            "CourseDirectory": {
                "root": str(course),
                "db_url": f"sqlite:///{course / 'gradebook.db'}",
                "submitted_directory": "submitted",
                "autograded_directory": "autograded",
            },
            # A deleted test cell is put back from the source and run.
            "OverwriteCells": {
                "add_missing_cells": True,
                "missing_cell_notification": "# {cell_id}: put back by the grader\n",
            },
        }
        if timeout:
            overrides["Execute"] = {"timeout": int(timeout)}
        local = Config(config)
        local.merge(Config(overrides))
        limit = local.Execute.get("timeout") or local.ExecutePreprocessor.get("timeout")
        api = NbGraderAPI(CourseDirectory(config=local), config=local)
        for chapter, submission in submissions.items():
            result = {"status": "ok", "message": "", "notebook": None}
            result["timestamp"] = submission.get("timestamp")
            results[chapter] = result
            if submission["notebook"] is None:
                result.update(status="missing", message=MESSAGES["missing"])
                continue
            notebook, problem = _read_notebook(submission["notebook"])
            if notebook is None:
                message = MESSAGES["invalid"].format(detail=problem)
                result.update(status="invalid", message=message)
                continue
            release = nbformat.read(
                course / "notebooks" / chapter / f"{chapter}.ipynb", as_version=4
            )
            tampered = _tampering(notebook, release)
            folder = course / "submitted" / student / chapter
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, folder / f"{chapter}.ipynb")
            if result["timestamp"]:
                (folder / "timestamp.txt").write_text(result["timestamp"])
            outcome = api.autograde(chapter, student, force=True, create=True)
            result["log"] = outcome.get("log", "") + outcome.get("error", "")
            graded = course / "autograded" / student / chapter / f"{chapter}.ipynb"
            if not outcome["success"] or not graded.is_file():
                result.update(status="crashed", message=MESSAGES["crashed"])
                continue
            result["notebook"] = graded.read_bytes()
            cell = _timed_out_cell(nbformat.reads(result["notebook"], as_version=4))
            if tampered:
                result.update(status="tampered", message=tampered)
            elif cell:
                message = MESSAGES["timeout"].format(cell=cell, limit=limit)
                result.update(status="timeout", message=message)
    return results


# ------------------------------------------------------------------ feedback


class ReduceHiddenTestErrors(Preprocessor):
    """Cut every error output of a cell with hidden tests to one
    ``ErrorName: message`` line: a traceback would quote the hidden lines.
    Runs before nbgrader's ``ClearHiddenTests``, which removes their source."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and HIDDEN_TESTS in cell.source:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    line = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                    output["traceback"] = [line.rstrip(": ").rstrip()]
        return cell, resources


def _feedback_preprocessors():
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    return [
        GetGrades,
        ReduceHiddenTestErrors,
        ClearHiddenTests,
        CSSHTMLHeaderPreprocessor,
    ]


# ------------------------------------------------------------------ coordinator


@dataclass
class Row:
    student_id: str
    chapter: str
    cell: str
    score: float
    max_score: float
    status: str
    message: str

    def as_csv(self) -> dict[str, str]:
        return {
            "student_id": self.student_id,
            "chapter": self.chapter,
            "cell": self.cell,
            "score": f"{self.score:g}",
            "max_score": f"{self.max_score:g}",
            "status": self.status,
            "message": self.message,
        }


def graded_cells(root: Path, chapter: str) -> list[tuple[str, float]]:
    """(grade_id, points) of the chapter's graded cells, in notebook order."""
    source = nbformat.read(root / "solutions" / chapter / f"{chapter}.ipynb", 4)
    cells = []
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            cells.append((meta["grade_id"], float(meta.get("points", 0))))
    return cells


def _run_on_cluster(jobs, template, config, timeout, workers, scheduler):
    """Submit one task per student; yield (student, results) as they finish."""
    from dask.distributed import Client, LocalCluster, as_completed
    from tqdm import tqdm

    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        futures = {
            client.submit(
                grade_student,
                student,
                chapter_jobs,
                template,
                config,
                timeout,
                pure=False,
            ): student
            for student, chapter_jobs in jobs.items()
        }
        with tqdm(total=len(futures), unit="student", desc="grading") as bar:
            for future in as_completed(futures):
                student = futures[future]
                try:
                    results = future.result()
                except Exception as error:  # the worker itself failed
                    results = {
                        chapter: {
                            "status": "crashed",
                            "message": MESSAGES["crashed"],
                            "notebook": None,
                            "timestamp": None,
                            "log": f"{type(error).__name__}: {error}\n",
                        }
                        for chapter in jobs[student]
                    }
                bar.update(1)
                yield student, results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def grade(
    submissions: Path,
    out: Path,
    chapter_ids: list[str] | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    db_url: str | None = None,
    timeout: int | None = None,
    root: Path | None = None,
) -> list[Row]:
    """Grade every student in ``submissions``; write ``out/grades.csv`` and
    ``out/feedback/``; return the CSV's rows."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    put_environment_on_path()
    root = root or REPO
    chapter_ids = chapter_ids or chapters(root)
    base = nbgrader_config(root)
    db_url = db_url or base.CourseDirectory.db_url
    out.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="nncourse-grade-") as tmp:
        tmp = Path(tmp)
        found = collect(unpack(submissions, tmp / "unpacked"), chapter_ids)
        if not found:
            raise SystemExit(f"No student folders in {submissions}.")

        template = tmp / "template"
        for chapter in chapter_ids:
            generate_in(template, chapter, root=root)
            generate_in(tmp / "real", chapter, db_url, root)
        template_files = {
            name: content
            for name, content in _files(template).items()
            if name.startswith(("solutions/", "notebooks/")) or name == "gradebook.db"
        }

        jobs = {
            student: {
                chapter: {"notebook": sub.notebook, "timestamp": sub.timestamp}
                for chapter, sub in chapters_of.items()
            }
            for student, chapters_of in found.items()
        }
        results: dict[str, dict[str, dict]] = dict(
            _run_on_cluster(
                jobs, template_files, Config(base), timeout, workers, scheduler
            )
        )

        # The one writer: record the executed notebooks in the real gradebook.
        executed = tmp / "executed"
        for student, by_chapter in results.items():
            for chapter, result in by_chapter.items():
                if result.get("log"):
                    log = out / "logs" / student / f"{chapter}.log"
                    log.parent.mkdir(parents=True, exist_ok=True)
                    log.write_text(result["log"])
                if result["notebook"] is None:
                    continue
                folder = executed / student / chapter
                folder.mkdir(parents=True)
                (folder / f"{chapter}.ipynb").write_bytes(result["notebook"])
                if result["timestamp"]:
                    (folder / "timestamp.txt").write_text(result["timestamp"])
        config = Config(base)
        config.merge(
            Config(
                {
                    "CourseDirectory": {
                        "db_url": db_url,
                        "submitted_directory": str(executed),
                        "feedback_directory": str((out / "feedback").resolve()),
                    },
                    "Execute": {"enabled": False},
                    "ClearOutput": {"enabled": False},
                    "GenerateFeedback": {"preprocessors": _feedback_preprocessors()},
                }
            )
        )
        api = NbGraderAPI(CourseDirectory(config=config), config=config)
        for chapter in chapter_ids:
            graded_now = sorted(p.parent.name for p in executed.glob(f"*/{chapter}"))
            if not graded_now:
                continue
            # autograde reads only this run's executed notebooks; feedback goes
            # student by student, because the course's autograded/ folder may
            # hold students of earlier runs that this gradebook does not know.
            steps = [(api.autograde, "*")]
            steps += [(api.generate_feedback, student) for student in graded_now]
            for step, student in steps:
                outcome = step(chapter, student, force=True)
                if not outcome["success"]:
                    raise SystemExit(
                        f"nbgrader {step.__name__} failed for {chapter}:\n"
                        f"{outcome.get('log', '')}{outcome.get('error', '')}"
                    )
        rows = _rows(root, db_url, chapter_ids, results)

    with open(out / "grades.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows(row.as_csv() for row in rows)
    return rows


def _rows(root, db_url, chapter_ids, results) -> list[Row]:
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(db_url) as gradebook:
        for student in sorted(results):
            for chapter in chapter_ids:
                result = results[student][chapter]
                scores: dict[str, float] = {}
                status, message = result["status"], result["message"]
                if result["notebook"] is not None:
                    try:
                        notebook = gradebook.find_submission_notebook(
                            chapter, chapter, student
                        )
                        scores = {g.name: g.score for g in notebook.grades}
                    except MissingEntry:
                        status, message = "crashed", MESSAGES["crashed"]
                for cell, points in graded_cells(root, chapter):
                    score = scores.get(cell)
                    rows.append(
                        Row(
                            student,
                            chapter,
                            cell,
                            float(score or 0),
                            points,
                            status,
                            message,
                        )
                    )
    return rows


def summary(rows: list[Row]) -> str:
    """A short table: students, chapters, mean score, problems by status."""
    students = sorted({row.student_id for row in rows})
    chapter_ids = sorted({row.chapter for row in rows})
    lines = [f"{'chapter':<20} {'students':>8} {'mean score':>14}  problems"]
    for chapter in chapter_ids:
        mine = [row for row in rows if row.chapter == chapter]
        total = sum(row.score for row in mine)
        possible = sum(row.max_score for row in mine)
        per_student = {(row.student_id, row.status) for row in mine}
        problems = Counter(status for _, status in per_student if status != "ok")
        mean = total / len(students) if students else 0
        out_of = possible / len(students) if students else 0
        lines.append(
            f"{chapter:<20} {len(students):>8} {mean:>7.2f} / {out_of:<4g}  "
            + (", ".join(f"{n} {s}" for s, n in sorted(problems.items())) or "none")
        )
    return "\n".join(lines)


def main(args) -> int:
    from nncourse.course import resolve_chapters

    rows = grade(
        Path(args.submissions),
        Path(args.out),
        resolve_chapters(args.chapters, REPO),
        workers=args.workers,
        scheduler=args.scheduler,
        db_url=args.db,
        timeout=args.timeout,
        root=REPO,
    )
    print(summary(rows))
    print(f"grades: {Path(args.out) / 'grades.csv'}")
    print(f"feedback: {Path(args.out) / 'feedback'}/STUDENT/CHAPTER/CHAPTER.html")
    return 0
