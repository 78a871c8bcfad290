"""Cap the size of each output a submission produced."""

from __future__ import annotations

import json

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

from nncourse.preprocessors.cells import note, notes

#: Cell metadata (under ``nncourse``): the sizes, in bytes, of removed outputs.
FOUND = "removed_outputs"
NOTE = "[an output of {mb:.1f} MB was removed by the grader: the limit is {kb} kB]\n"


def removed_outputs(cell) -> list[int]:
    """The sizes of the outputs :class:`LimitOutputSize` removed from ``cell``."""
    return notes(cell).get(FOUND, [])


class LimitOutputSize(Preprocessor):
    """Replace any output larger than ``max_bytes`` by a one-line note on
    stderr, and record its size in the cell's metadata (nbgrader's
    ``LimitOutput`` counts lines, and one line can be 100 MB)."""

    enabled = Bool(True)
    max_bytes = Integer(200_000).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        outputs, removed = [], []
        for output in cell.get("outputs", []):
            size = len(json.dumps(output))
            if size > self.max_bytes:
                removed.append(size)
                text = NOTE.format(mb=size / 1024**2, kb=self.max_bytes // 1000)
                output = nbformat.v4.new_output("stream", name="stderr", text=text)
            outputs.append(output)
        cell.outputs = outputs
        note(cell, FOUND, removed)
        return cell, resources
