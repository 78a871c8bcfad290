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
from typing import ClassVar

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
class KeptAnswer:
    """An answer to one exercise, kept with the grader: the answer cell it
    replaces, the test cells it names in its header, and why it is kept."""

    name: str
    cell: str  # grade_id of the solution cell it replaces
    tests: list[str]  # grade_ids of the test cells its header names
    why: str
    source: str

    #: the header lines that name its tests and say why it is kept
    TESTS: ClassVar[str]
    WHY: ClassVar[str]

    @classmethod
    def read(cls, path: Path) -> KeptAnswer:
        fields, source = read_header(path, {"cell", cls.TESTS, cls.WHY})
        return cls(
            name=path.stem,
            cell=fields["cell"],
            tests=fields[cls.TESTS].split(),
            why=fields[cls.WHY],
            source=source,
        )

    @classmethod
    def read_all(cls, folder: Path) -> list:
        """Every answer of this kind in ``folder`` (one chapter's)."""
        return [cls.read(path) for path in sorted(folder.glob("*.py"))]


class WrongAnswer(KeptAnswer):
    """A plausible wrong answer: the test cells it ``loses`` must score zero."""

    TESTS, WHY = "loses", "mistake"

    @property
    def loses(self) -> list[str]:
        return self.tests

    @property
    def mistake(self) -> str:
        return self.why


class RightAnswer(KeptAnswer):
    """A correct answer written differently from the solution: the test
    cells it ``scores`` must give full marks."""

    TESTS, WHY = "scores", "style"

    @property
    def scores(self) -> list[str]:
        return self.tests

    @property
    def style(self) -> str:
        return self.why


def right_answers(folder: Path) -> list[RightAnswer]:
    """The other correct answers of one chapter (``autograder/right-answers/CH``)."""
    return RightAnswer.read_all(folder)


def wrong_answers(folder: Path) -> list[WrongAnswer]:
    """The wrong answers of one chapter (``autograder/wrong-answers/CH``)."""
    return WrongAnswer.read_all(folder)
