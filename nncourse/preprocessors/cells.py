"""How the grader tells cells apart, and where it notes what it found.

The kinds of cells are nbgrader's own (:func:`nbgrader.utils.is_grade`,
:func:`nbgrader.utils.is_solution`): a *test* cell is graded and not an answer
(nbgrader accepts a Markdown grade cell only as an answer, so a test cell is a
code cell). What a preprocessor finds it records under the ``nncourse`` key of
the notebook's or the cell's metadata, which nbgrader carries from its sanitize
pass to the executed notebook the grader reads.
"""

from __future__ import annotations

from nbgrader.utils import is_grade, is_solution

#: The metadata key of everything this package notes in a notebook.
NAMESPACE = "nncourse"


def is_test(cell) -> bool:
    """An autograded test cell: graded, and not an answer."""
    return bool(is_grade(cell)) and not is_solution(cell)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def cell_name(cell, index: int) -> str:
    """The cell's grade_id, or its position for an ungraded cell."""
    return grade_id(cell) or f"number {index + 1}"


def notes(node) -> dict:
    """What the grader noted on a notebook or a cell (read-only view)."""
    return node.metadata.get(NAMESPACE, {})


def note(node, key: str, value) -> None:
    """Record ``value`` under ``key``; an empty value removes the key, so
    that nothing a submission brought along survives as a finding."""
    found = node.metadata.setdefault(NAMESPACE, {})
    if value:
        found[key] = value
    else:
        found.pop(key, None)
        if not found:
            del node.metadata[NAMESPACE]
