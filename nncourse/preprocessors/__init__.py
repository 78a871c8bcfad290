"""Every notebook transformation of the course, as an nbconvert preprocessor:
one class, one job, each tested on tiny notebooks in ``tests/unit/``.

For the book (:func:`book_page`, run by ``book/_ext`` on each chapter):

- :class:`StripSolutionMarkers`: drop nbgrader's ``### BEGIN/END SOLUTION`` lines;
- :class:`FoldInstallFallback`: fold the set-up cell's install fallback into a
  ``hide-input`` cell of its own;
- :class:`CollapseSolutions`: tag answer cells ``hide-input``.

For grading (configured into nbgrader's autograde by :mod:`nncourse.grade.worker`):

- :class:`ScanIntegrity` (before nbgrader): flag code that can reach into the
  grading (IPython hooks, history, introspection, dynamic code);
- :class:`DropDuplicateCells` (sanitize pass): grade a notebook with a copied
  answer or test cell; :class:`DropForeignCells`: and with a cell pasted from
  another notebook;
- :class:`CheckEditedTests` (sanitize pass): note deleted or edited test cells;
- :class:`InsertProbes` / :class:`JudgeProbes` (around the execution): a
  test cell with a spec (``autograder/specs/``) becomes a probe of the
  student's code on inputs drawn for this run; the grader compares its plain
  data with the solution's and writes the verdict (:mod:`.probes`);
- :class:`LimitOutputSize`: replace outputs that are too large;
- :class:`DefuseMarkerQuotes`, :class:`ReduceHiddenTestErrors`,
  :class:`RedactHiddenTests` (feedback): a student's quote of nbgrader's
  markers left as text, a hidden test's outputs cut to one line, no hidden
  line in any output;
- :class:`LateNotice` (feedback): how late the notebook was, and what it cost;
- :func:`.safe_html.clean_feedback_html`: the feedback page's HTML filter, and
  :class:`.safe_html.SanitizeMarkdownCells` (feedback): Markdown cleaned too.

What a preprocessor finds, it records in metadata (:mod:`.cells`); the
grader's :func:`nncourse.grade.results.classify` weighs the findings. A new
check is one more module here and one more rule there.
"""

from nncourse.preprocessors.book import (
    SOLUTION_MARKER,
    CollapseSolutions,
    FoldInstallFallback,
    StripSolutionMarkers,
    book_page,
)
from nncourse.preprocessors.duplicates import DropDuplicateCells, DropForeignCells
from nncourse.preprocessors.edited_tests import CheckEditedTests
from nncourse.preprocessors.hidden_tests import (
    DefuseMarkerQuotes,
    RedactHiddenTests,
    ReduceHiddenTestErrors,
)
from nncourse.preprocessors.integrity import ScanIntegrity
from nncourse.preprocessors.late_notice import LateNotice
from nncourse.preprocessors.output_size import LimitOutputSize
from nncourse.preprocessors.probes import InsertProbes, JudgeProbes

__all__ = [
    "SOLUTION_MARKER",
    "CheckEditedTests",
    "CollapseSolutions",
    "DefuseMarkerQuotes",
    "DropDuplicateCells",
    "DropForeignCells",
    "FoldInstallFallback",
    "InsertProbes",
    "JudgeProbes",
    "LateNotice",
    "LimitOutputSize",
    "RedactHiddenTests",
    "ReduceHiddenTestErrors",
    "ScanIntegrity",
    "StripSolutionMarkers",
    "book_page",
]
