"""Notebook transformations the book needs, as nbconvert preprocessors.

The book renders each chapter from its nbgrader source in ``solutions/``. Before
Sphinx sees a chapter, :func:`book_page` runs these on it:

- nbgrader's own ``ClearHiddenTests`` removes the hidden tests;
- :class:`StripSolutionMarkers` removes the ``### BEGIN/END SOLUTION`` lines and
  keeps the answer between them;
- :class:`CollapseSolutions` tags answer cells ``hide-input``, so the book shows
  them collapsed behind a click.
"""

from __future__ import annotations

import re

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests

SOLUTION_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")


def is_solution(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution", False))


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


def book_page(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Turn a chapter's nbgrader source into the notebook the book renders."""
    resources: dict = {}
    for preprocessor in (
        ClearHiddenTests(),
        StripSolutionMarkers(),
        CollapseSolutions(),
    ):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook
