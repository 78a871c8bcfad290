"""What the book does to a chapter's nbgrader source before Sphinx renders it."""

from __future__ import annotations

import ast
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


#: The tag every answer cell carries on the book's page, in both editions.
ANSWER_TAG = "answer"


def add_tags(cell, *new: str) -> None:
    tags = cell.metadata.setdefault("tags", [])
    tags.extend(tag for tag in new if tag not in tags)


class CollapseSolutions(Preprocessor):
    """Tag answer code cells ``answer`` and ``hide-input``: the book shows
    them folded."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_solution(cell):
            add_tags(cell, ANSWER_TAG, "hide-input")
        return cell, resources


class RemoveSolutions(CollapseSolutions):
    """The exercises edition, which shows no answer. Answer code cells are
    tagged exactly as in the full edition, because jupyter-cache hashes a
    code cell's tags: so both editions share one execution, and the chapter's
    later cells still work. The Sphinx extension (book/_ext/course_pages.py)
    removes the cells tagged ``answer`` and their outputs after the
    execution. Written answers (Markdown, never executed nor hashed) are
    tagged ``remove-cell``."""

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if cell.cell_type != "code" and is_solution(cell):
            add_tags(cell, ANSWER_TAG, "remove-cell")
        return cell, resources


class FoldInstallFallback(Preprocessor):
    """Fold the set-up cell's install fallback: its leading ``try: import
    nncourse / except ModuleNotFoundError:`` block (and the comments above it)
    becomes a cell of its own before the set-up cell, tagged ``hide-input``;
    the imports stay in sight. The set-up cell keeps its id and outputs, the
    new cell's id is the set-up cell's with :data:`SUFFIX`. Only the book page
    is split: the notebooks students run keep one set-up cell."""

    SUFFIX = "-install"
    #: What the fold's button says (myst-nb's cell-level ``code_prompt_*``).
    PROMPTS = {
        "code_prompt_show": "Show how the cell installs nncourse",
        "code_prompt_hide": "Hide how the cell installs nncourse",
    }

    def preprocess(self, nb, resources):
        ids = {cell.get("id") for cell in nb.cells}
        cells = []
        for cell in nb.cells:
            cells += self.split(cell, ids) if cell.cell_type == "code" else [cell]
        nb.cells = cells
        return nb, resources

    def split(self, cell, ids: set) -> list:
        end = install_block_end(cell.source)
        if end is None:
            return [cell]
        lines = cell.source.splitlines()
        head, rest = "\n".join(lines[:end]).rstrip(), "\n".join(lines[end:]).strip()
        if not rest:  # the fallback alone (or already split): fold it in place
            self.fold(cell)
            return [cell]
        folded = nbformat.v4.new_code_cell(head, id=self.new_id(cell.get("id"), ids))
        self.fold(folded)
        cell.source = rest
        return [folded, cell]

    def fold(self, cell) -> None:
        add_tags(cell, "hide-input")
        cell.metadata.setdefault("mystnb", {}).update(self.PROMPTS)

    def new_id(self, original: str | None, ids: set) -> str:
        base = f"{original or 'setup'}{self.SUFFIX}"[:60]
        new, number = base, 1
        while new in ids:
            number += 1
            new = f"{base}{number}"
        ids.add(new)
        return new


def install_block_end(source: str) -> int | None:
    """The line number after a source's leading install fallback, a ``try:``
    that imports nncourse and catches ModuleNotFoundError; None without one."""
    try:
        statements = ast.parse(source).body
    except SyntaxError:  # IPython syntax: no set-up cell of the course
        return None
    first = statements[0] if statements else None
    if not (
        isinstance(first, ast.Try)
        and any(
            isinstance(node, ast.Import)
            and [alias.name for alias in node.names] == ["nncourse"]
            for node in first.body
        )
        and any(
            isinstance(handler.type, ast.Name)
            and handler.type.id == "ModuleNotFoundError"
            for handler in first.handlers
        )
    ):
        return None
    return first.end_lineno


#: The book's editions: what each does to the answers.
EDITIONS = {"full": CollapseSolutions, "exercises": RemoveSolutions}


def book_page(
    notebook: nbformat.NotebookNode, edition: str = "full"
) -> nbformat.NotebookNode:
    """Turn a chapter's nbgrader source into the notebook the book renders:
    hidden tests removed (nbgrader's ``ClearHiddenTests``), marker lines
    removed, the set-up cell's install fallback folded, answers collapsed
    (the ``full`` edition) or left out (``exercises``)."""
    resources: dict = {}
    for preprocessor in (
        ClearHiddenTests(),
        StripSolutionMarkers(),
        FoldInstallFallback(),
        EDITIONS[edition](),
    ):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook
