"""What grading one notebook gives: a status, a message, the executed notebook.

:func:`findings` reads what the preprocessors and the sandbox left in an
executed notebook; :func:`classify` turns findings into a status and the
message the student reads, by an explicit precedence (:data:`RULES`). A new
kind of problem is one more field of :class:`Findings` and one more rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from nncourse.grade.execute import STOPPED_AFTER
from nncourse.preprocessors.cells import cell_name, notes
from nncourse.preprocessors.duplicates import FOREIGN
from nncourse.preprocessors.duplicates import FOUND as DUPLICATES
from nncourse.preprocessors.edited_tests import FOUND as EDITED_TESTS
from nncourse.preprocessors.output_size import removed_outputs


class Status(str, Enum):
    OK = "ok"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    INVALID = "invalid"
    MISSING = "missing"
    TAMPERED = "tampered"
    FLAGGED = "flagged"
    REVIEW = "review"  # graded; the scan found lines an instructor should read


MESSAGES = {
    "missing": "No notebook was submitted for this chapter.",
    "invalid": "The submitted file is not a readable Jupyter notebook ({detail}); "
    "it was not graded. Open it in JupyterLab, save it again and resubmit.",
    "oversized": "The notebook is too large to grade: {detail}. It was not "
    "graded; remove what was pasted into it (data, long outputs turned into "
    "text, images) and resubmit.",
    "timeout": "Cell {cell} ran longer than the limit of {limit} seconds and was "
    "stopped; the cells after it ran as usual.",
    "stopped": "Cell {cell} ran longer than the limit of {limit} seconds and "
    "went on after it was interrupted, so its kernel was stopped and the cells "
    "after it were not run.",
    "deadline": "The notebook ran longer than {limit} seconds in all and was "
    "stopped; it was not graded.",
    "tampered": "Test cell {cells} was {how} in the submission; the grader put "
    "back and ran the original test.",
    "memory": "The notebook used more memory than the limit of {memory} allows "
    "(its data, shared memory and temporary files together), so its kernel "
    "was stopped; it was not graded.",
    "crashed": "Grading this notebook stopped before it finished (its kernel died "
    "or could not be stopped); it was not graded.",
    "nbgrader": "nbgrader could not grade this notebook ({detail}); it was not graded.",
    "flagged": "The notebook uses code that can reach into the grading itself, "
    "which no exercise needs: {lines}. It scores 0 until an instructor reads "
    "these lines and accepts it.",
    "review": "The notebook uses code that reaches into the kernel's own "
    "machinery, which no exercise needs; it was graded as usual (the grade is "
    "decided outside the kernel), and an instructor will read these lines: "
    "{lines}.",
    "duplicates": "cell {cells} appears more than once (a copied cell?): the "
    "last copy of an answer and the original test were graded",
    "foreign": "a cell from another notebook ({cells}) was run as plain code, "
    "not graded",
}
#: How many flagged lines a message quotes.
QUOTED_LINES = 5
TIMEOUT_ERRORS = {"CellTimeoutError", "KeyboardInterrupt"}
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


@dataclass
class Result:
    """One graded (or ungradable) notebook of one student."""

    status: Status
    message: str = ""
    notebook: bytes | None = None  # executed, for the gradebook
    feedback: bytes | None = None  # HTML
    timestamp: str | None = None
    log: str = ""


@dataclass
class Findings:
    """What grading one notebook found."""

    submitted: bool = True
    unreadable: str | None = None  # why the file is no notebook
    oversized: str | None = None  # what it holds past the reading limits
    finished: bool = True  # nbgrader produced an executed notebook
    deadline: int | None = None  # the notebook's limit, when it was reached
    memory_exceeded: str | None = None  # the memory limit, when it killed
    nbgrader_error: str | None = None  # what nbgrader reported, kernel alive
    flagged: list[list] = field(default_factory=list)  # [cell, line no, line, why]
    #: the scan's lines, in a chapter whose every test is judged outside the
    #: kernel: advice to the instructor, not a zero
    to_read: list[list] = field(default_factory=list)
    edited_tests: list[list[str]] = field(default_factory=list)
    timed_out_cell: str | None = None
    stopped_after: str | None = None  # its kernel ignored the interrupt
    cell_limit: int = 0
    notes: list[str] = field(default_factory=list)  # appended when executed


def _edited(found: Findings) -> str | None:
    if not found.edited_tests:
        return None
    return MESSAGES["tampered"].format(
        cells=", ".join(test for test, _ in found.edited_tests),
        how=" or ".join(sorted({how for _, how in found.edited_tests})),
    )


def _quoted(flagged: list[list]) -> str:
    quoted = [
        f"cell {cell}, line {number}: `{line[:120]}` ({why})"
        for cell, number, line, why in flagged[:QUOTED_LINES]
    ]
    more = len(flagged) - QUOTED_LINES
    return "; ".join(quoted) + (f"; and {more} more" if more > 0 else "")


def _flagged(flagged: list[list]) -> str | None:
    return MESSAGES["flagged"].format(lines=_quoted(flagged)) if flagged else None


def _to_read(to_read: list[list]) -> str | None:
    return MESSAGES["review"].format(lines=_quoted(to_read)) if to_read else None


def _when(condition, message: str) -> str | None:
    return message if condition else None


Rule = tuple[Status, bool, Callable[[Findings], "str | None"]]
#: The first rule that gives a message wins. The flag says whether the
#: notebook ran, so that the notes (sandbox, extra files) join the message.
RULES: list[Rule] = [
    (Status.MISSING, False, lambda f: _when(not f.submitted, MESSAGES["missing"])),
    (
        Status.INVALID,
        False,
        lambda f: _when(f.unreadable, MESSAGES["invalid"].format(detail=f.unreadable)),
    ),
    (
        Status.INVALID,
        False,
        lambda f: _when(f.oversized, MESSAGES["oversized"].format(detail=f.oversized)),
    ),
    (
        Status.TIMEOUT,
        False,
        lambda f: _when(
            not f.finished and f.deadline,
            MESSAGES["deadline"].format(limit=f.deadline),
        ),
    ),
    (Status.FLAGGED, False, lambda f: _flagged(f.flagged)),
    (
        Status.CRASHED,
        False,
        lambda f: _when(
            not f.finished and f.memory_exceeded,
            MESSAGES["memory"].format(memory=f.memory_exceeded),
        ),
    ),
    (
        Status.CRASHED,
        False,
        lambda f: _when(
            not f.finished and f.nbgrader_error,
            MESSAGES["nbgrader"].format(detail=f.nbgrader_error),
        ),
    ),
    (Status.CRASHED, False, lambda f: _when(not f.finished, MESSAGES["crashed"])),
    (Status.TAMPERED, True, _edited),
    (
        Status.TIMEOUT,
        True,
        lambda f: _when(
            f.stopped_after,
            MESSAGES["stopped"].format(cell=f.stopped_after, limit=f.cell_limit),
        ),
    ),
    (
        Status.TIMEOUT,
        True,
        lambda f: _when(
            f.timed_out_cell,
            MESSAGES["timeout"].format(cell=f.timed_out_cell, limit=f.cell_limit),
        ),
    ),
    (Status.REVIEW, True, lambda f: _to_read(f.to_read)),
    (Status.OK, True, lambda f: ""),
]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def classify(found: Findings) -> tuple[Status, str]:
    """The status and message of a notebook, by the first rule that applies."""
    for status, ran, rule in RULES:
        message = rule(found)
        if message is None:
            continue
        if ran:
            sentences = [_sentence(note) for note in found.notes]
            message = " ".join([message] * bool(message) + sentences)
        return status, message
    raise AssertionError("the last rule always applies")


def _errors(notebook):
    """(cell name, ename, evalue) of every error output."""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                name = cell_name(cell, index)
                yield name, output.get("ename", ""), str(output.get("evalue", ""))


def _removed_note(cell: str, sizes: list[int]) -> str:
    megabytes = sum(sizes) / 1024**2
    if len(sizes) == 1:
        return (
            f"cell {cell} printed an output of {megabytes:.1f} MB, which the "
            "grader removed"
        )
    return (
        f"cell {cell} printed {len(sizes)} outputs ({megabytes:.1f} MB) that the "
        "grader removed: each output may have 200 kB, a notebook's outputs 2 MB "
        "and 1000 outputs in all"
    )


def sandbox_notes(notebook, memory: str) -> list[str]:
    """What the sandbox and the output limit stopped, in words."""
    found = [
        _removed_note(cell_name(cell, index), removed_outputs(cell))
        for index, cell in enumerate(notebook.cells)
        if removed_outputs(cell)
    ]
    for name, ename, evalue in _errors(notebook):
        for matches, note in SANDBOX_NOTES:
            text = note.format(cell=name, memory=memory)
            if matches(ename, evalue) and text not in found:
                found.append(text)
    return found


def _cells_note(kind: str, cells: list[str]) -> list[str]:
    return [MESSAGES[kind].format(cells=", ".join(cells))] if cells else []


def findings(
    executed, cell_limit: int, memory: str, extra_notes: list[str]
) -> Findings:
    """What the executed notebook tells, besides its scores."""
    timed_out = (name for name, e, _ in _errors(executed) if e in TIMEOUT_ERRORS)
    return Findings(
        edited_tests=notes(executed).get(EDITED_TESTS, []),
        timed_out_cell=next(timed_out, None),
        stopped_after=notes(executed).get(STOPPED_AFTER),
        cell_limit=cell_limit,
        notes=extra_notes
        + _cells_note("duplicates", notes(executed).get(DUPLICATES, []))
        + _cells_note("foreign", notes(executed).get(FOREIGN, []))
        + sandbox_notes(executed, memory),
    )


#: An nbgrader failure of this kind means the kernel died or hung.
KERNEL_FAILURES = ("DeadKernelError", "CellTimeoutError", "TimeoutError", "Kernel died")
NBGRADER_ERROR = re.compile(r"^\s*(\w*(?:Error|Exception)\b.*)$", re.MULTILINE)


def nbgrader_error(log: str) -> str | None:
    """The last error nbgrader reported, unless it is a dead kernel's."""
    if any(kind in log for kind in KERNEL_FAILURES):
        return None
    errors = NBGRADER_ERROR.findall(log)
    return errors[-1].strip()[:300] if errors else None
