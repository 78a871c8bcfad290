"""What a run keeps in ``OUT/`` as it goes, so that a killed run resumes.

Each finished notebook is saved in ``OUT/executed/STUDENT/CHAPTER/``: the
executed notebook first, then ``result.json`` with the key of what was graded,
each replaced atomically. A later run with the same key (the same notebook,
course, limits and specs) takes the saved result instead of grading again.
Feedback pages go to ``OUT/feedback/`` and kernel logs to ``OUT/logs/``; a
page of a submission that nbgrader's exchange collected has its receipts
beside it (:func:`keep_receipts`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from nncourse.grade.collect import Submission
from nncourse.grade.results import Result, Status


def key(submission: Submission, fingerprint: str) -> str:
    """Names one notebook's grading: the same key, the same result."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(submission.notebook or b"")
    about = {
        "timestamp": submission.timestamp,
        "extra": submission.extra,
        "problem": submission.problem,
        "submitted": submission.notebook is not None,
    }
    digest.update(json.dumps(about, sort_keys=True).encode())
    return digest.hexdigest()


def atomic_write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    os.replace(partial, path)


class ResultStore:
    """The results of one output folder ``OUT``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.saved = out / "executed"

    def keep(self, student: str, chapter: str, result: Result, key: str) -> None:
        """Write the feedback page and log, then save the result."""
        if result.feedback:
            page = self.out / "feedback" / student / chapter / f"{chapter}.html"
            atomic_write(page, result.feedback)
        if result.log:
            log = self.out / "logs" / student / f"{chapter}.log"
            atomic_write(log, result.log.encode("utf-8", "replace"))
        folder = self.saved / student / chapter
        if result.notebook is not None:
            atomic_write(folder / f"{chapter}.ipynb", result.notebook)
        record = asdict(result)
        del record["feedback"]
        record.update(key=key, notebook=result.notebook is not None)
        atomic_write(folder / "result.json", json.dumps(record, indent=1).encode())

    def load(self, student: str, chapter: str, key: str) -> Result | None:
        """The saved result of this grading, if a run saved one."""
        folder = self.saved / student / chapter
        try:
            record = json.loads((folder / "result.json").read_text())
        except (OSError, ValueError):
            return None
        if record.pop("key", None) != key:
            return None
        result = Result(
            status=Status(record["status"]),
            message=record["message"],
            timestamp=record.get("timestamp"),
            log=record.get("log") or "",
        )
        if record["notebook"]:
            try:
                result.notebook = (folder / f"{chapter}.ipynb").read_bytes()
            except OSError:
                return None
        return result


def keep_receipts(out: Path, found: dict[str, dict[str, Submission]]) -> None:
    """Beside the feedback page of each submission that nbgrader's exchange
    collected, its ``timestamp.txt`` and ``submission_secret.txt``, as
    nbgrader's own feedback folder holds them: ``nbgrader release_feedback``
    reads both there, and the secret names the page in the exchange, where
    only the student's own ``fetch_feedback`` finds it. ``OUT/feedback/`` is
    then a folder that ``release_feedback`` can hand back as it is."""
    for student, by_chapter in found.items():
        for chapter, submission in by_chapter.items():
            folder = out / "feedback" / student / chapter
            if submission.secret is None or not (folder / f"{chapter}.html").is_file():
                continue
            atomic_write(folder / "submission_secret.txt", submission.secret.encode())
            stamp = submission.timestamp or ""
            atomic_write(folder / "timestamp.txt", stamp.encode())
