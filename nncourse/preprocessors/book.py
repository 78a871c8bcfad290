"""What the book does to a chapter's nbgrader source before Sphinx renders it."""

from __future__ import annotations

import re

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.utils import is_solution

SOLUTION_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")


class StripSolutionMarkers(Preprocessor):
    """Delete nbgrader's solution marker lines; keep the answer."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            kept = [line for line in lines if not SOLUTION_MARKER.match(line)]
            if len(kept) != len(lines):
                cell.source = "\n".join(kept)
        return cell, resources


class CollapseSolutions(Preprocessor):
    """Tag answer cells ``hide-input``: the book shows them folded."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_solution(cell):
            tags = cell.metadata.setdefault("tags", [])
            if "hide-input" not in tags:
                tags.append("hide-input")
        return cell, resources


class RemoveSolutions(Preprocessor):
    """Tag every answer cell (code or Markdown) ``remove-cell``: the
    exercises edition shows neither it nor its output, and myst-nb still runs
    it, so the chapter's later cells work and their outputs are the book's."""

    def preprocess_cell(self, cell, resources, index):
        if is_solution(cell):
            tags = cell.metadata.setdefault("tags", [])
            tags[:] = [tag for tag in tags if tag != "hide-input"] + ["remove-cell"]
        return cell, resources


#: The book's editions: what each does to the answers.
EDITIONS = {"full": CollapseSolutions, "exercises": RemoveSolutions}


def book_page(
    notebook: nbformat.NotebookNode, edition: str = "full"
) -> nbformat.NotebookNode:
    """Turn a chapter's nbgrader source into the notebook the book renders:
    hidden tests removed (nbgrader's ``ClearHiddenTests``), marker lines
    removed, answers collapsed (the ``full`` edition) or left out
    (``exercises``)."""
    resources: dict = {}
    for preprocessor in (
        ClearHiddenTests(),
        StripSolutionMarkers(),
        EDITIONS[edition](),
    ):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook
