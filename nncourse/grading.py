"""``nncourse grade``: grade a folder or zip of submissions with nbgrader.

The pipeline, thin over nbgrader's own API:

1. **Collect**: find ``STUDENT/CHAPTER.ipynb`` or ``STUDENT/CHAPTER/CHAPTER.ipynb``
   (nbgrader's layout, with its ``timestamp.txt``) in a folder or a ``.zip``, or
   files named by an LMS (``--pattern``, nbgrader's ``zip_collect`` regular
   expression with ``student_id`` and ``file_id`` groups).
2. **Prepare**: ``generate_assignment`` each chapter twice from ``solutions/``, both
   times in a temporary course: once into a template gradebook that every worker
   copies, once into the real gradebook (so the committed ``notebooks/`` is never
   rewritten).
3. **Execute** on a Dask cluster (a ``LocalCluster`` of ``--workers`` processes with
   one thread each, or an existing one through ``--scheduler``): one task per
   student runs ``nbgrader autograde`` in-process in a private temporary course with
   a throwaway gradebook, with the kernel in a sandbox (:mod:`nncourse.sandbox`)
   and the canaries of :mod:`nncourse.canaries`, and returns the executed
   notebooks and their feedback pages. Each finished student is saved in
   ``OUT/executed/``, so a run that is killed resumes where it stopped.
4. **Record**: the coordinator alone writes the real gradebook, with
   ``nbgrader autograde --no-execute`` pointed at the notebooks the workers
   executed, never at the original submissions (which would give an empty answer
   full marks).
5. **Report**: ``grades.csv`` (one row per student, chapter and graded cell),
   feedback HTML (``generate_feedback`` with hidden tests removed), a summary.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

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
IGNORED_NAMES = {"__MACOSX", "timestamp.txt"}
# Canvas ("login_12345_67890_01-modules.ipynb", "login_late_..."), Moodle
# ("Full Name_12345_assignsubmission_file_01-modules.ipynb", or a folder of that
# name holding 01-modules.ipynb) and the like: the student is what comes before
# the first "_", the chapter is NN-topic before ".ipynb" (Canvas may add "-1").
LMS_PATTERN = (
    r"^(?P<student_id>[^_/]+)_[^/]*?(?P<file_id>\d\d-[a-z0-9-]+?)"
    r"(-(?P<attempt>\d+))?\.ipynb$"
)
# How LimitOutputSize replaces an output that is too large.
REMOVED = "[an output of "
# The largest notebook file read from a submission.
MAX_NOTEBOOK_BYTES = 50 * 1024**2

MESSAGES = {
    "ok": "",
    "missing": "No notebook was submitted for this chapter.",
    "invalid": "The submitted file is not a readable Jupyter notebook ({detail}); "
    "it was not graded. Open it in JupyterLab, save it again and resubmit.",
    "timeout": "Cell {cell} ran longer than the limit of {limit} seconds and was "
    "stopped; the cells after it ran as usual.",
    "deadline": "The notebook ran longer than {limit} seconds in all and was "
    "stopped; it was not graded.",
    "tampered": "Test cell {cells} was {how} in the submission; the grader put "
    "back and ran the original test.",
    "canary": "Code in the notebook made tests pass that must fail ({cells}): "
    "no test of this notebook earns points.",
    "crashed": "Grading this notebook stopped before it finished (its kernel died "
    "or could not be stopped); it was not graded.",
}
# What the sandbox stops, recognised from the error it causes in a cell.
SANDBOX_NOTES = [
    (
        lambda ename, evalue: (
            ename == "MemoryError" or "can't allocate memory" in evalue
        ),
        "cell {cell} ran out of memory (the limit is {memory})",
    ),
    (
        lambda ename, evalue: (
            "Network is unreachable" in evalue or "name resolution" in evalue
        ),
        "cell {cell} tried to use the network, which grading does not allow",
    ),
    (
        lambda ename, evalue: (
            ename == "BlockingIOError" or "Resource temporarily unavailable" in evalue
        ),
        "cell {cell} started too many processes or threads",
    ),
    (
        lambda ename, evalue: (
            "Read-only file system" in evalue or "File too large" in evalue
        ),
        "cell {cell} tried to write outside its temporary folder, or too much",
    ),
]


# --------------------------------------------------------------------------- collect


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
        text = content.decode("utf-8")
        version = json.loads(text).get("nbformat")
        if version != 4:
            return None, f"its format is nbformat {version}; the course uses 4"
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except UnicodeDecodeError:
        return None, "it is not UTF-8 text"
    except (ValueError, AttributeError):  # not JSON, or JSON but not an object
        return None, "it is not valid JSON"
    except Exception:  # nbformat.ValidationError and its kin
        return None, "it does not follow the notebook format"
    return notebook, None


def _cell_name(cell, index: int) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    return grade_id or f"number {index + 1}"


def _errors(notebook):
    """(cell name, ename, evalue) of every error output."""
    for index, cell in enumerate(notebook.cells):
        name = _cell_name(cell, index)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                yield name, output.get("ename", ""), str(output.get("evalue", ""))


def _timed_out_cell(notebook) -> str | None:
    for name, ename, _ in _errors(notebook):
        if ename in TIMEOUT_ERRORS:
            return name
    return None


def _sandbox_notes(notebook, memory: str) -> list[str]:
    """What the sandbox and the output limit stopped, in words."""
    notes = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            if output.get("output_type") == "stream" and text.startswith(REMOVED):
                size = text[len(REMOVED) :].split(" MB")[0]
                notes.append(
                    f"cell {_cell_name(cell, index)} printed an output of {size} MB, "
                    "which the grader removed"
                )
    for name, ename, evalue in _errors(notebook):
        for matches, note in SANDBOX_NOTES:
            text = note.format(cell=name, memory=memory)
            if matches(ename, evalue) and text not in notes:
                notes.append(text)
    return notes


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


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def grade_student(
    student: str,
    submissions: dict[str, dict],
    template: dict[str, bytes],
    config,
    settings: dict,
) -> dict[str, dict]:
    """Run on a Dask worker: execute one student's chapters with ``nbgrader
    autograde`` in a private course with a throwaway gradebook, and make the
    feedback pages.

    ``submissions`` maps chapter -> ``{"notebook": bytes|None, "timestamp",
    "extra", "problem"}``; ``settings`` holds ``timeout`` (per cell),
    ``notebook_timeout``, ``sandbox`` and ``canaries`` (chapter -> test ->
    wrong answer). Returns chapter -> ``{"status", "message", "notebook"
    (executed bytes or None), "feedback" (HTML bytes or None), "timestamp",
    "log"}``.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import Execute
    from traitlets.config import Config

    from nncourse.canaries import AddCanaries, CheckCanaries
    from nncourse.sandbox import MEMORY_LIMIT, GiB, SandboxedExecute

    put_environment_on_path()
    execute = SandboxedExecute if settings["sandbox"] else Execute
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="nncourse-grade-") as tmp:
        course = Path(tmp)
        _write_files(course, template)
        overrides = {
            "CourseDirectory": {
                "root": str(course),
                "db_url": f"sqlite:///{course / 'gradebook.db'}",
                "submitted_directory": "submitted",
                "autograded_directory": "autograded",
                "feedback_directory": "feedback",
            },
            # A deleted test cell is put back from the source and run.
            "OverwriteCells": {
                "add_missing_cells": True,
                "missing_cell_notification": "# {cell_id}: put back by the grader\n",
            },
            "Autograde": {
                "autograde_preprocessors": [
                    AddCanaries,
                    execute,
                    CheckCanaries,
                    "nbgrader.preprocessors.IgnorePattern",
                    "nbconvert.preprocessors.ClearMetadataPreprocessor",
                    "nbgrader.preprocessors.LimitOutput",
                    LimitOutputSize,
                    "nbgrader.preprocessors.SaveAutoGrades",
                    "nbgrader.preprocessors.AssignLatePenalties",
                    "nbgrader.preprocessors.CheckCellMetadata",
                ]
            },
            "GenerateFeedback": {"preprocessors": _feedback_preprocessors()},
            "SandboxedKernelManager": {
                "notebook_timeout": settings["notebook_timeout"]
            },
        }
        # nbgrader fails the whole notebook when a cell's outputs do not end
        # within 4 s of its reply (as after a fork bomb); a missing error output
        # is still recorded, from the reply, by nbgrader's Execute.
        overrides["Execute"] = {"raise_on_iopub_timeout": False}
        if settings["timeout"]:
            overrides["Execute"]["timeout"] = int(settings["timeout"])
        local = Config(config)
        local.merge(Config(overrides))
        limit = local.Execute.get("timeout") or local.ExecutePreprocessor.get("timeout")
        memory_limit = local.SandboxedKernelManager.get("memory_limit", MEMORY_LIMIT)
        memory = f"{memory_limit / GiB:g} GB"
        for chapter, submission in submissions.items():
            result = {"status": "ok", "message": "", "notebook": None, "feedback": None}
            result["timestamp"] = submission.get("timestamp")
            results[chapter] = result
            notes = []
            if submission.get("extra"):
                names = ", ".join(submission["extra"][:5])
                more = len(submission["extra"]) - 5
                names += f" and {more} more" if more > 0 else ""
                notes.append(f"other files in the submission were ignored: {names}")
            if submission["notebook"] is None:
                result.update(status="missing", message=MESSAGES["missing"])
                continue
            if submission.get("problem"):
                notebook, problem = None, submission["problem"]
            else:
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
            local.AddCanaries.wrong_answers = settings["canaries"].get(chapter, {})
            api = NbGraderAPI(CourseDirectory(config=local), config=local)
            started = time.monotonic()
            outcome = api.autograde(chapter, student, force=True, create=True)
            elapsed = time.monotonic() - started
            result["log"] = outcome.get("log", "") + outcome.get("error", "")
            graded = course / "autograded" / student / chapter / f"{chapter}.ipynb"
            if not outcome["success"] or not graded.is_file():
                if settings["sandbox"] and elapsed >= settings["notebook_timeout"]:
                    message = MESSAGES["deadline"].format(
                        limit=settings["notebook_timeout"]
                    )
                    result.update(status="timeout", message=message)
                else:
                    result.update(status="crashed", message=MESSAGES["crashed"])
                continue
            result["notebook"] = graded.read_bytes()
            executed = nbformat.reads(result["notebook"], as_version=4)
            cell = _timed_out_cell(executed)
            canaries = executed.metadata.get("nncourse", {}).get("tampered")
            notes += _sandbox_notes(executed, memory)
            if canaries:
                message = MESSAGES["canary"].format(cells=", ".join(canaries))
                result.update(status="tampered", message=message)
            elif tampered:
                result.update(status="tampered", message=tampered)
            elif cell:
                message = MESSAGES["timeout"].format(cell=cell, limit=limit)
                result.update(status="timeout", message=message)
            if notes:
                result["message"] = " ".join(
                    [result["message"]] * bool(result["message"])
                    + [_sentence(note) for note in notes]
                )
            feedback = api.generate_feedback(chapter, student, force=True)
            page = course / "feedback" / student / chapter / f"{chapter}.html"
            if feedback["success"] and page.is_file():
                result["feedback"] = page.read_bytes()
    return results


# ------------------------------------------------------------------ preprocessors


class LimitOutputSize(Preprocessor):
    """Replace any output larger than ``max_bytes`` by a one-line note (nbgrader's
    LimitOutput counts lines, and one line can be 100 MB)."""

    enabled = Bool(True)
    max_bytes = Integer(200_000).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        outputs = []
        for output in cell.get("outputs", []):
            size = len(json.dumps(output))
            if size > self.max_bytes:
                output = nbformat.v4.new_output(
                    "stream",
                    name="stderr",
                    text=f"{REMOVED}{size / 1024**2:.1f} MB was removed by the "
                    f"grader: the limit is {self.max_bytes // 1000} kB]\n",
                )
            outputs.append(output)
        cell.outputs = outputs
        return cell, resources


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


def _crashed_worker(chapters_of, error) -> dict[str, dict]:
    return {
        chapter: {
            "status": "crashed",
            "message": MESSAGES["crashed"],
            "notebook": None,
            "feedback": None,
            "timestamp": None,
            "log": f"{type(error).__name__}: {error}\n",
        }
        for chapter in chapters_of
    }


def _run_on_cluster(jobs, template, config, settings, workers, scheduler, done):
    """Submit one task per student; yield (student, results) as they finish.
    ``done`` students (from an earlier, interrupted run) count on the bar."""
    from dask.distributed import Client, LocalCluster, as_completed
    from tqdm import tqdm

    bar = tqdm(total=len(jobs) + done, initial=done, unit="student", desc="grading")
    if not jobs:
        bar.close()
        return
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
                settings,
                pure=False,
            ): student
            for student, chapter_jobs in jobs.items()
        }
        for future in as_completed(futures):
            student = futures[future]
            try:
                results = future.result()
            except Exception as error:  # the worker itself failed
                results = _crashed_worker(jobs[student], error)
            bar.update(1)
            yield student, results
    finally:
        bar.close()
        client.close()
        if cluster is not None:
            cluster.close()


# ------------------------------------------------------------------ saved results


def _fingerprint(template: dict[str, bytes], settings: dict) -> str:
    """What the grading of a notebook depends on besides the notebook."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for name, content in sorted(template.items()):
        digest.update(name.encode() + b"\0" + content)
    return digest.hexdigest()


def _key(job: dict, fingerprint: str) -> str:
    """Names one notebook's grading: the same key, the same result."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(job["notebook"] or b"")
    about = {name: value for name, value in job.items() if name != "notebook"}
    about["submitted"] = job["notebook"] is not None
    digest.update(json.dumps(about, sort_keys=True).encode())
    return digest.hexdigest()


def _atomic_write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    os.replace(partial, path)


def _save(saved: Path, student: str, chapter: str, result: dict, key: str) -> None:
    """Keep one graded notebook in ``OUT/executed/``: the notebook first, its
    record (with the key of what was graded) last, each replaced atomically."""
    folder = saved / student / chapter
    if result["notebook"] is not None:
        _atomic_write(folder / f"{chapter}.ipynb", result["notebook"])
    record = {k: v for k, v in result.items() if k not in ("notebook", "feedback")}
    record["key"] = key
    record["notebook"] = result["notebook"] is not None
    _atomic_write(folder / "result.json", json.dumps(record, indent=1).encode())


def _load(saved: Path, student: str, chapter: str, key: str) -> dict | None:
    folder = saved / student / chapter
    try:
        record = json.loads((folder / "result.json").read_text())
    except (OSError, ValueError):
        return None
    if record.get("key") != key:
        return None
    result = {k: v for k, v in record.items() if k != "key"}
    result["feedback"] = None
    result["notebook"] = None
    if record["notebook"]:
        try:
            result["notebook"] = (folder / f"{chapter}.ipynb").read_bytes()
        except OSError:
            return None
    return result


# ------------------------------------------------------------------ grade


def check_sandbox(unsafe: bool) -> None:
    """Stop with the fix unless the sandbox works or ``unsafe`` is chosen."""
    from nncourse.sandbox import SandboxUnavailable, check_available

    if unsafe:
        return
    try:
        check_available()
    except SandboxUnavailable as error:
        raise SystemExit(f"nncourse grade: {error}") from None


def grade(
    submissions: Path,
    out: Path,
    chapter_ids: list[str] | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    db_url: str | None = None,
    timeout: int | None = None,
    root: Path | None = None,
    unsafe: bool = False,
    notebook_timeout: int | None = None,
    pattern: str = LMS_PATTERN,
) -> list[Row]:
    """Grade every student in ``submissions``; write ``out/grades.csv`` and
    ``out/feedback/``; return the CSV's rows."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from nncourse.canaries import canary_sources

    check_sandbox(unsafe)
    put_environment_on_path()
    root = root or REPO
    chapter_ids = chapter_ids or chapters(root)
    base = nbgrader_config(root)
    db_url = db_url or base.CourseDirectory.db_url
    cell_limit = timeout or base.ExecutePreprocessor.get("timeout") or 120
    settings = {
        "timeout": timeout,
        "notebook_timeout": notebook_timeout or max(600, 5 * int(cell_limit)),
        "sandbox": not unsafe,
        "canaries": {
            chapter: canary_sources(root / "autograder" / "wrong-answers" / chapter)
            for chapter in chapter_ids
        },
    }
    out.mkdir(parents=True, exist_ok=True)
    saved = out / "executed"
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="nncourse-grade-") as tmp:
        tmp = Path(tmp)
        found = collect(unpack(submissions, tmp / "unpacked"), chapter_ids, pattern)
        if not found:
            raise SystemExit(
                f"No submissions in {submissions}: expected folders STUDENT/ with "
                "CHAPTER.ipynb or CHAPTER/CHAPTER.ipynb, or files an LMS named "
                f"(matched by --pattern {pattern!r})."
            )

        template = tmp / "template"
        for chapter in chapter_ids:
            generate_in(template, chapter, root=root)
            generate_in(tmp / "real", chapter, db_url, root)
        template_files = {
            name: content
            for name, content in _files(template).items()
            if name.startswith(("solutions/", "notebooks/")) or name == "gradebook.db"
        }
        fingerprint = _fingerprint(
            {k: v for k, v in template_files.items() if k != "gradebook.db"}, settings
        )

        # Students graded by an earlier run that was stopped are kept.
        results: dict[str, dict[str, dict]] = {}
        jobs: dict[str, dict[str, dict]] = {}
        keys: dict[tuple[str, str], str] = {}
        for student, chapters_of in found.items():
            for chapter, sub in chapters_of.items():
                job = {
                    "notebook": sub.notebook,
                    "timestamp": sub.timestamp,
                    "extra": sub.extra,
                    "problem": sub.problem,
                }
                keys[student, chapter] = key = _key(job, fingerprint)
                earlier = _load(saved, student, chapter, key)
                if earlier is not None:
                    results.setdefault(student, {})[chapter] = earlier
                else:
                    jobs.setdefault(student, {})[chapter] = job
        done = len(found) - len(jobs)
        if done:
            print(f"Resuming: {done} of {len(found)} students were graded before.")
        for student, by_chapter in _run_on_cluster(
            jobs, template_files, Config(base), settings, workers, scheduler, done
        ):
            for chapter, result in by_chapter.items():
                if result.get("feedback"):
                    page = out / "feedback" / student / chapter / f"{chapter}.html"
                    _atomic_write(page, result["feedback"])
                if result.get("log"):
                    _atomic_write(
                        out / "logs" / student / f"{chapter}.log",
                        result["log"].encode("utf-8", "replace"),
                    )
                _save(saved, student, chapter, result, keys[student, chapter])
            results.setdefault(student, {}).update(by_chapter)

        # The one writer: record the executed notebooks in the real gradebook.
        executed = tmp / "executed"
        for student, by_chapter in results.items():
            for chapter, result in by_chapter.items():
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
                    },
                    "Execute": {"enabled": False},
                    "ClearOutput": {"enabled": False},
                }
            )
        )
        api = NbGraderAPI(CourseDirectory(config=config), config=config)
        for chapter in chapter_ids:
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
        rows = _rows(root, db_url, chapter_ids, results)

    buffer = _csv_text(rows)
    _atomic_write(out / "grades.csv", buffer.encode("utf-8"))
    return rows


def _csv_text(rows: list[Row]) -> str:
    import io

    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    writer.writerows(row.as_csv() for row in rows)
    return buffer.getvalue()


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
        unsafe=args.unsafe,
        notebook_timeout=args.notebook_timeout,
        pattern=args.pattern or LMS_PATTERN,
    )
    print(summary(rows))
    print(f"grades: {Path(args.out) / 'grades.csv'}")
    print(f"feedback: {Path(args.out) / 'feedback'}/STUDENT/CHAPTER/CHAPTER.html")
    return 0
