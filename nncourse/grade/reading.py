"""Reading a submitted notebook: is it one, and does it hold no more than
the grader reads? Its reading (the integrity scan, the Markdown sanitiser,
the feedback page) costs time and memory in proportion to its text, outside
the sandbox, so a notebook past these caps is refused before any of it.

At the caps, ``benchmarks/reading.py`` measures about 4 s for the scan and
1.6 s for the sanitiser, 270 MB at the peak, on the course's 2-core machine
(a chapter's own notebook, with 10-30 kB of code and of text: 0.1 s each).
"""

from __future__ import annotations

import json

import nbformat

from nncourse.grade.collect import Submission
from nncourse.grade.results import Findings

#: Bytes of code in all cells together.
MAX_CODE = 500_000
#: Bytes of Markdown and raw text in all cells together.
MAX_TEXT = 250_000
#: Cells.
MAX_CELLS = 1000
#: Bytes of the Markdown cells' attachments (pasted images), base64.
MAX_ATTACHMENTS = 2_000_000


def _size(text) -> int:
    return len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else 0


def oversized(notebook) -> str | None:
    """What in ``notebook`` passes a cap, in words; None when nothing does."""
    cells = notebook.get("cells", [])
    if len(cells) > MAX_CELLS:
        return f"it has {len(cells)} cells; the grader reads at most {MAX_CELLS}"
    code = sum(_size(cell.source) for cell in cells if cell.cell_type == "code")
    text = sum(_size(cell.source) for cell in cells if cell.cell_type != "code")
    attached = sum(
        _size(data)
        for cell in cells
        for bundle in (cell.get("attachments") or {}).values()
        for data in bundle.values()
    )
    for amount, cap, what in (
        (code, MAX_CODE, "code"),
        (text, MAX_TEXT, "Markdown text"),
        (attached, MAX_ATTACHMENTS, "attached images"),
    ):
        if amount > cap:
            return (
                f"it holds {amount / 1e6:.2f} MB of {what}; the grader reads "
                f"at most {cap / 1e6:g} MB"
            )
    return None


def read_notebook(content: bytes):
    """The notebook, or the plain reason it cannot be graded."""
    try:
        text = content.decode("utf-8")
        version = json.loads(text).get("nbformat")
        if version != 4:
            return None, f"its format is nbformat {version}; the course uses 4"
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except UnicodeDecodeError:
        return None, "it is not UTF-8 text"
    except (ValueError, AttributeError):  # not JSON, or JSON but not an object
        return None, "it is not valid JSON"
    except Exception:  # nbformat.ValidationError and its kin
        return None, "it does not follow the notebook format"
    return notebook, None


def submitted_notebook(submission: Submission):
    """(the notebook, None), or (None, why the grader will not read it)."""
    notebook, problem = (
        (None, submission.problem)
        if submission.problem
        else read_notebook(submission.notebook)
    )
    if notebook is None:
        return None, Findings(unreadable=problem)
    too_large = oversized(notebook)
    if too_large:
        return None, Findings(oversized=too_large)
    return notebook, None
