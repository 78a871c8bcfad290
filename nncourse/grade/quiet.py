"""A quiet run: library warnings (nbgrader's SQLAlchemy ``SAWarning``s about
its own session, deprecations) go to a log file, not between the instructor's
progress bars, where they read as failures."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def warnings_kept(into: list[str]) -> Iterator[None]:
    """Append every warning raised meanwhile to ``into``, as text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            into += [
                warnings.formatwarning(w.message, w.category, w.filename, w.lineno)
                for w in caught
            ]
