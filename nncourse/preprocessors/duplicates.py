"""Grade a notebook with a copied answer or test cell.

JupyterLab's copy and paste keeps a cell's nbgrader metadata, so a student
who duplicated a cell submits two cells with one ``grade_id``, which stops
nbgrader. :class:`DropDuplicateCells` runs first in nbgrader's sanitize pass:
of a duplicated answer it keeps the last copy as the answer (the student's
final version) and leaves the earlier ones as plain code cells, which run as
they were; of a duplicated test or read-only cell it keeps the first and
drops the copies (``OverwriteCells`` puts the original source back). It
records the duplicated ids for the student's message.

:class:`DropForeignCells` runs next: a cell pasted from another notebook
keeps that notebook's nbgrader metadata, whose ``grade_id`` this chapter does
not have. nbgrader would drop only the id and then fail on the cell
(``KeyError: 'grade_id'``), costing a correct student every point; here the
cell becomes a plain cell that runs as it is, and its id is noted.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbgrader.utils import is_solution
from traitlets import Bool, List, Unicode

from nncourse.preprocessors.cells import grade_id, note

#: Notebook metadata (under ``nncourse``): the grade_ids that were duplicated.
FOUND = "duplicate_cells"
#: Notebook metadata (under ``nncourse``): grade_ids of other notebooks' cells.
FOREIGN = "foreign_cells"


def _ids(cells) -> list[str | None]:
    return [grade_id(cell) if "nbgrader" in cell.metadata else None for cell in cells]


class DropDuplicateCells(Preprocessor):
    """Keep one cell per grade_id: an answer's last copy, a test's first."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        ids = _ids(nb.cells)
        duplicated = sorted({i for i in ids if i is not None and ids.count(i) > 1})
        kept = []
        for index, cell in enumerate(nb.cells):
            gid = ids[index]
            if gid not in duplicated:
                kept.append(cell)
            elif is_solution(cell):
                if gid in ids[index + 1 :]:  # a later copy is the answer
                    del cell.metadata["nbgrader"]
                kept.append(cell)
            elif gid not in ids[:index]:  # the first copy of a test
                kept.append(cell)
        for cell in kept:  # nbgrader reads the grade_id of every cell it marks
            if "nbgrader" in cell.metadata and not grade_id(cell):
                del cell.metadata["nbgrader"]
        nb.cells = kept
        note(nb, FOUND, duplicated)
        return nb, resources


class DropForeignCells(Preprocessor):
    """Plain cells of those whose nbgrader metadata is not this chapter's."""

    enabled = Bool(True)
    chapter_cells = List(
        Unicode(),
        config=True,
        help="The grade_ids of the chapter's source notebook; empty: keep all.",
    )

    def preprocess(self, nb, resources):
        known = set(self.chapter_cells)
        foreign = []
        for cell in nb.cells:
            gid = grade_id(cell)
            if known and "nbgrader" in cell.metadata and gid not in known:
                foreign.append(gid or "(none)")
                del cell.metadata["nbgrader"]
        note(nb, FOREIGN, sorted(set(foreign)))
        return nb, resources
