"""Benchmark: the grader's own reading of one notebook at the caps of
:mod:`nncourse.grade.reading`, the work that runs outside the sandbox.

Times (CPU seconds) and peak memory of the integrity scan on the most code a
notebook may hold (``MAX_CODE``, in one cell and in deeply nested
expressions) and of the Markdown sanitiser on the most text (``MAX_TEXT``),
beside the same work on a chapter's own notebook as the baseline.

    .venv/bin/python benchmarks/reading.py
"""

from __future__ import annotations

import resource
import time

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from nncourse.course import Course
from nncourse.grade.reading import MAX_CODE, MAX_TEXT
from nncourse.preprocessors.integrity import scan
from nncourse.preprocessors.safe_html import SanitizeMarkdownCells

LINE = "x = getattr(torch, 'nn').Linear(3, 4)(torch.ones(2, 3)) + [i for i in y][0]\n"
NESTED = "(" * 180 + "1" + ")" * 180 + "\n"
MARKDOWN = (
    "Some *text* with <b>html</b> <img src=x onerror=alert(1)> "
    "[a](javascript:x) $a^2$ `code`\n\n"
)


def timed(what: str, work) -> None:
    started = time.process_time()
    work()
    print(f"{what:<44} {time.process_time() - started:6.2f} s")


def sanitize(text: str):
    notebook = new_notebook(cells=[new_markdown_cell(text)])
    return lambda: SanitizeMarkdownCells().preprocess(notebook, {})


def main() -> None:
    chapter = Course.find().source("07-training-loop")
    notebook = nbformat.read(chapter, 4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in notebook.cells if c.cell_type != "code")
    timed(f"scan, chapter 07's code ({len(code) / 1e3:.0f} kB)", lambda: scan(code))
    timed(
        f"scan, {MAX_CODE / 1e3:.0f} kB of code",
        lambda: scan(LINE * (MAX_CODE // len(LINE))),
    )
    nested = NESTED * (MAX_CODE // len(NESTED))
    timed(f"scan, {MAX_CODE / 1e3:.0f} kB of nested code", lambda: scan(nested))
    timed(f"sanitise, chapter 07's text ({len(text) / 1e3:.0f} kB)", sanitize(text))
    markdown = (MARKDOWN * (MAX_TEXT // len(MARKDOWN) + 1))[:MAX_TEXT]
    timed(f"sanitise, {MAX_TEXT / 1e3:.0f} kB of Markdown", sanitize(markdown))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<44} {peak:6.0f} MB")


if __name__ == "__main__":
    main()
