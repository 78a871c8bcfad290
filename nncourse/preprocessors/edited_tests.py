"""Notice test cells that a submission deleted or edited.

nbgrader's ``OverwriteCells`` silently puts back the source of every test
cell (and, configured so, a deleted one). :class:`CheckEditedTests` runs
before it in nbgrader's sanitize pass and records, in the notebook's
metadata, which of the release's test cells the submission changed, so that
the grader can tell the student.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Dict, Unicode

from nncourse.preprocessors.cells import grade_id, is_test, note

#: Notebook metadata (under ``nncourse``): ``[[grade_id, how]]``, how it was
#: changed: "deleted", "edited" or one of :data:`RETYPED`.
FOUND = "edited_tests"
RETYPED = {"markdown": "turned into a Markdown cell", "raw": "turned into a raw cell"}


def sources_by_test(notebook) -> dict[str, str]:
    """grade_id -> source of the notebook's test cells."""
    return {
        grade_id(cell): cell.source.strip()
        for cell in notebook.cells
        if is_test(cell) and grade_id(cell)
    }


class CheckEditedTests(Preprocessor):
    """Record the release's test cells that are missing or changed."""

    enabled = Bool(True)
    release_tests = Dict(
        Unicode(), help="grade_id -> source of each test cell of the release"
    ).tag(config=True)

    def preprocess(self, nb, resources):
        submitted = sources_by_test(nb)
        changed = [
            [test, "deleted" if test not in submitted else "edited"]
            for test, source in self.release_tests.items()
            if submitted.get(test) != source
        ]
        # nbgrader's OverwriteCells turns such a cell back into code, silently
        retyped = [
            [grade_id(cell), RETYPED.get(cell.cell_type, "retyped")]
            for cell in nb.cells
            if is_test(cell) and cell.cell_type != "code"
        ]
        named = {test for test, _ in changed}
        changed += [item for item in retyped if item[0] not in named]
        note(nb, FOUND, changed)
        return nb, resources
