"""Reading what ``nncourse grade`` wrote, for the grading test modules: the
chapter they grade, its rows, its pages, and the lines that must never reach
a student."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import nbformat

from tests.conftest import REPO

CHAPTER = "01-modules"
# Seconds per cell. Chapter 01's cells take about a second on an idle machine;
# on a busy shared one, a 10 s limit cut `import torch` short.
TIMEOUT = 20


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def by_student(rows) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["student_id"], []).append(row)
    return grouped


def scores(rows) -> dict[str, float]:
    """grade_id -> score of one student's rows."""
    return {row["cell"]: float(row["score"]) for row in rows}


def visible_text(page: str) -> str:
    """The text of an HTML page, without tags (pygments splits code in spans)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def secret_lines(chapter: str = CHAPTER) -> list[str]:
    """Lines of the grader's checks (the chapter's spec, which holds what
    the hidden tests were) that appear nowhere in the student release, nor
    in the probes (which the kernel runs: they are not secret)."""
    from nncourse import specs

    spec = REPO / "autograder" / "specs" / f"{chapter}.py"
    release = (REPO / "notebooks" / chapter / f"{chapter}.ipynb").read_text()
    release_lines = {
        line.strip()
        for cell in nbformat.reads(release, 4).cells
        for line in cell.source.splitlines()
    }
    release_lines |= {
        line.strip()
        for exercise in specs.load(spec).values()
        for line in exercise.probe_source().splitlines()
    }
    return [
        line.strip()
        for line in spec.read_text().splitlines()
        if len(line.strip()) > 25
        and not line.strip().startswith(("#", '"', "'", 'f"', "f'"))
        and line.strip() not in release_lines
    ]
