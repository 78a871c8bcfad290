"""The grader's own answers to the exercises, kept in ``autograder/``.

- ``wrong-answers/CHAPTER/``: plausible mistakes. Each file replaces one answer
  cell; its header names the cell, the test cells that must lose their points
  and the mistake it makes. ``nncourse mutants`` and the tests check that
  every one of them loses those points, judged through the chapter's specs
  as grading judges.
- ``right-answers/CHAPTER/``: correct answers written differently from the
  solution; the tests check that they score full marks on the cells they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HEADER = re.compile(r"^# (cell|loses|mistake|scores|style): (.+)$", re.MULTILINE)


def read_header(path: Path, keys: set[str]) -> tuple[dict[str, str], str]:
    """The header fields of a kept answer, and its source without them."""
    text = path.read_text()
    fields = {key: value.strip() for key, value in HEADER.findall(text)}
    missing = keys - fields.keys()
    if missing:
        raise ValueError(f"{path} lacks the header lines {sorted(missing)}")
    return fields, HEADER.sub("", text).strip() + "\n"


@dataclass
class WrongAnswer:
    """A plausible wrong answer to one exercise, kept with the grader."""

    name: str
    cell: str  # grade_id of the solution cell it replaces
    loses: list[str]  # grade_ids of the test cells that must score zero
    mistake: str
    source: str

    @classmethod
    def read(cls, path: Path) -> WrongAnswer:
        fields, source = read_header(path, {"cell", "loses", "mistake"})
        return cls(
            name=path.stem,
            cell=fields["cell"],
            loses=fields["loses"].split(),
            mistake=fields["mistake"],
            source=source,
        )


@dataclass
class RightAnswer:
    """A correct answer written differently from the solution."""

    name: str
    cell: str  # grade_id of the solution cell it replaces
    scores: list[str]  # grade_ids of the test cells that must give full marks
    style: str
    source: str

    @classmethod
    def read(cls, path: Path) -> RightAnswer:
        fields, source = read_header(path, {"cell", "scores", "style"})
        return cls(
            name=path.stem,
            cell=fields["cell"],
            scores=fields["scores"].split(),
            style=fields["style"],
            source=source,
        )


def right_answers(folder: Path) -> list[RightAnswer]:
    """The other correct answers of one chapter (``autograder/right-answers/CH``)."""
    return [RightAnswer.read(path) for path in sorted(folder.glob("*.py"))]


def wrong_answers(folder: Path) -> list[WrongAnswer]:
    """The wrong answers of one chapter (``autograder/wrong-answers/CH``)."""
    return [WrongAnswer.read(path) for path in sorted(folder.glob("*.py"))]
