"""Text that a spreadsheet opens: never a formula."""

from __future__ import annotations

# A spreadsheet reads a field that starts with one of these as a formula
# (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """``text``, prefixed with ``'`` where a spreadsheet would run it as a
    formula (OWASP's advice): the cell then shows the text as it is."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
