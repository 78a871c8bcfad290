"""Tell the student, at the top of the feedback page, how late the notebook
was and what that cost (nbgrader's page shows only the points)."""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode


class LateNotice(Preprocessor):
    """Put ``text`` (the late-work policy's sentence, set for each notebook
    by the grader) first on the page; nothing when it is empty."""

    enabled = Bool(True)
    text = Unicode("", help="how late, and what it cost").tag(config=True)

    def preprocess(self, nb, resources):
        if self.text:
            notice = nbformat.v4.new_markdown_cell(f"**Late work.** {self.text}")
            nb.cells.insert(0, notice)
        return nb, resources
