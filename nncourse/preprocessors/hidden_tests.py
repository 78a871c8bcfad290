"""Keep hidden tests out of the feedback a student sees.

nbgrader's ``ClearHiddenTests`` removes the hidden lines from the source of
the test cells on the feedback page, but the page shows every output of the
grading run, and code in the notebook could print the source of the cells
that ran. So, before the page is made, :class:`ReduceHiddenTestErrors` cuts
a hidden test cell's outputs to its one-line verdict, and
:class:`RedactHiddenTests` removes every hidden test line from every output
of every cell. (An encoded copy of a line is no longer that line: the
integrity scan, :mod:`.integrity`, flags the tools that read cell sources.)
"""

from __future__ import annotations

import html

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer, List, Unicode

from nncourse.preprocessors.cells import is_test

HIDDEN_TESTS = "### BEGIN HIDDEN TESTS"
END_HIDDEN_TESTS = "### END HIDDEN TESTS"
REDACTED = "[hidden test line removed]"
PASSED = "(the hidden tests ran)"
WARNED = "(the hidden tests wrote to stderr, which counts as a failure)"


def _stream(name: str, text: str):
    return nbformat.v4.new_output("stream", name=name, text=text)


def hidden_test_lines(source_notebook, release_notebook, shortest: int = 4):
    """Stripped lines of the hidden tests that the release does not show."""
    shown = {
        line.strip()
        for cell in release_notebook.cells
        for line in cell.source.splitlines()
    }
    hidden = []
    for cell in source_notebook.cells:
        inside = False
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped in (HIDDEN_TESTS, END_HIDDEN_TESTS):
                inside = stripped == HIDDEN_TESTS
            elif inside and len(stripped) >= shortest and stripped not in shown:
                hidden.append(stripped)
    return sorted(set(hidden))


#: nbgrader's ``ClearHiddenTests`` delimiters, and how a student's quote of
#: one reads on the page: the same, with no-break spaces, which no longer
#: match (nbgrader stops the whole page at a quote outside a test cell).
MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
QUOTED = {marker: marker.replace(" ", "\N{NO-BREAK SPACE}") for marker in MARKERS}


class DefuseMarkerQuotes(Preprocessor):
    """Make a quote of nbgrader's hidden-test markers in any cell but a test
    cell (whose source is the release's) plain text for ``ClearHiddenTests``,
    so that the student still gets a feedback page. Runs before it."""

    enabled = Bool(True)

    def preprocess_cell(self, cell, resources, index):
        if not is_test(cell):
            for marker, quoted in QUOTED.items():
                cell.source = cell.source.replace(marker, quoted)
        return cell, resources


class ReduceHiddenTestErrors(Preprocessor):
    """Cut the outputs of a cell with hidden tests to one line: its error as
    ``ErrorName: message``, else a note that the tests ran (a traceback or a
    print would quote hidden lines). Runs before ``ClearHiddenTests``, which
    removes their source."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or HIDDEN_TESTS not in cell.source:
            return cell, resources
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if errors:
            error = errors[0]
            line = f"{error.get('ename', 'Error')}: {error.get('evalue', '')}"
            error["traceback"] = [line.rstrip(": ").rstrip()]
            cell.outputs = [error]
        elif any(o.get("name") == "stderr" for o in cell.get("outputs", [])):
            # nbgrader scores a test that wrote to stderr zero: say why.
            cell.outputs = [_stream("stderr", WARNED)]
        elif cell.get("outputs"):
            cell.outputs = [_stream("stdout", PASSED)]
        return cell, resources


class RedactHiddenTests(Preprocessor):
    """Replace each hidden test line (see :func:`hidden_test_lines`) in any
    output: a whole line equal to one once stripped, and a long one anywhere
    within a line."""

    enabled = Bool(True)
    hidden_lines = List(Unicode(), help="the hidden test lines").tag(config=True)
    substring_length = Integer(
        12, help="hidden lines at least this long are found inside other text"
    ).tag(config=True)

    def _forms(self) -> list[str]:
        """Each hidden line as text and as an HTML output would escape it."""
        forms = {
            html.escape(line, quote) for line in self.hidden_lines for quote in (0, 1)
        }
        return sorted(forms | set(self.hidden_lines), key=len, reverse=True)

    def _redact(self, text: str) -> str:
        forms = self._forms()
        hidden = set(forms)
        long = [line for line in forms if len(line) >= self.substring_length]
        lines = []
        for line in text.splitlines(keepends=True):
            if line.strip() in hidden:
                ending = line[len(line.rstrip("\r\n")) :]
                line = REDACTED + ending
            lines.append(line)
        text = "".join(lines)
        for line in long:
            text = text.replace(line, REDACTED)
        return text

    def _still_shows(self, text: str) -> bool:
        """Whether markup's decoded text (``&#61;`` for ``=``...) quotes one."""
        decoded = {line.strip() for line in html.unescape(text).splitlines()}
        decoded.add(html.unescape(text))
        return any(
            line in decoded
            or (len(line) >= self.substring_length and line in html.unescape(text))
            for line in self.hidden_lines
        )

    def _redact_value(self, value):
        if isinstance(value, str):
            value = self._redact(value)
            return REDACTED if self._still_shows(value) else value
        if isinstance(value, list):
            return [self._redact_value(item) for item in value]
        if isinstance(value, dict):
            return {key: self._redact_value(item) for key, item in value.items()}
        return value

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and self.hidden_lines:
            cell.outputs = [
                nbformat.from_dict(self._redact_value(dict(output)))
                for output in cell.get("outputs", [])
            ]
        return cell, resources
