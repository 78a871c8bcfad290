"""Cap the size of a submission's outputs: each one, and all of them together.

Outputs decide nbgrader's score of a test cell (an error or anything on
stderr: no points; a number as the result: partial credit), so a removed
output is replaced by a short one *of the same kind*: an error stays an
error, stderr stays stderr, a result keeps its number. The cap can thus
neither earn nor cost a point.
"""

from __future__ import annotations

import json

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

from nncourse.preprocessors.cells import note, notes

#: Cell metadata (under ``nncourse``): the sizes, in bytes, of removed outputs.
FOUND = "removed_outputs"
NOTE = "[an output of {mb:.1f} MB was removed by the grader: the limit is {kb} kB]\n"
OVER_TOTAL = (
    "[{count} output(s) of this cell, {mb:.2f} MB, were removed by the grader: "
    "the notebook's outputs passed the limit of {total_mb:g} MB or {outputs} "
    "outputs in all]\n"
)


def removed_outputs(cell) -> list[int]:
    """The sizes of the outputs :class:`LimitOutputSize` removed from ``cell``."""
    return notes(cell).get(FOUND, [])


def _as_number(text) -> str | None:
    text = "".join(text) if isinstance(text, list) else str(text)
    try:
        return repr(float(text))
    except ValueError:
        return None


def scored(output) -> bool:
    """Whether nbgrader's score of a test cell can depend on ``output``: it
    looks at the first error, stderr stream or result, and stops there."""
    kind = output.get("output_type")
    return kind in ("error", "execute_result") or output.get("name") == "stderr"


def shrunk(output, text: str):
    """A short output of ``output``'s kind, with ``text`` in it: what nbgrader
    scores (an error, stderr, a numeric result) stays as it was."""
    kind = output.get("output_type")
    if kind == "error":
        evalue = str(output.get("evalue", ""))[:500]
        return nbformat.v4.new_output(
            "error", ename=output.get("ename", "Error"), evalue=evalue, traceback=[text]
        )
    if kind == "execute_result":
        number = _as_number(output.get("data", {}).get("text/plain", ""))
        return nbformat.v4.new_output(
            "execute_result",
            data={"text/plain": number if number is not None else text},
            execution_count=output.get("execution_count"),
        )
    name = output.get("name") if kind == "stream" else "stdout"
    return nbformat.v4.new_output("stream", name=name, text=text)


class LimitOutputSize(Preprocessor):
    """Replace any output larger than ``max_bytes``, and every output after
    the notebook's first ``max_total_bytes`` or ``max_outputs``, by a note of
    the same kind (:func:`shrunk`); record the removed sizes in the cell's
    metadata. (nbgrader's ``LimitOutput`` counts lines, and one line can be
    100 MB.)"""

    enabled = Bool(True)
    max_bytes = Integer(200_000).tag(config=True)
    max_total_bytes = Integer(2_000_000).tag(config=True)
    max_outputs = Integer(1000).tag(config=True)

    def preprocess(self, nb, resources):
        self._total = self._count = 0
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        outputs, removed, over_total = [], [], []
        decided = False  # an output that nbgrader scores by is kept
        for output in cell.get("outputs", []):
            size = len(json.dumps(output))
            self._count += 1
            counted = self._count <= self.max_outputs
            if counted and size <= self.max_bytes:
                if self._total + size <= self.max_total_bytes:
                    self._total += size
                    outputs.append(output)
                    decided = decided or scored(output)
                    continue
            if counted and size > self.max_bytes:
                removed.append(size)
                text = NOTE.format(mb=size / 1024**2, kb=self.max_bytes // 1000)
                outputs.append(shrunk(output, text))
                decided = decided or scored(output)
                continue
            over_total.append(size)
            if scored(output) and not decided:  # the first one decides
                outputs.append(shrunk(output, "[removed by the grader]\n"))
                decided = True
        if over_total:
            text = OVER_TOTAL.format(
                count=len(over_total),
                mb=sum(over_total) / 1024**2,
                total_mb=self.max_total_bytes / 1e6,
                outputs=self.max_outputs,
            )
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text))
        cell.outputs = outputs
        note(cell, FOUND, removed + over_total)
        return cell, resources
