"""A submitted notebook is refused, with what it holds too much of, before
the grader reads it; a chapter's own notebook is far below every cap."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nncourse.course import Course
from nncourse.grade import reading
from nncourse.grade.collect import Submission
from nncourse.grade.results import Status, classify


def test_every_chapter_is_far_below_the_caps():
    course = Course.find()
    for chapter in course.chapters():
        notebook = nbformat.read(course.source(chapter), 4)
        assert reading.oversized(notebook) is None, chapter
        code = sum(len(c.source) for c in notebook.cells if c.cell_type == "code")
        assert code * 10 < reading.MAX_CODE, chapter


def test_each_cap_is_named_with_its_amount():
    code = new_notebook(cells=[new_code_cell("x = 1\n" * 100_000)])
    assert reading.oversized(code) == (
        "it holds 0.60 MB of code; the grader reads at most 0.5 MB"
    )
    text = new_notebook(cells=[new_markdown_cell("é" * 130_000)])  # 2 bytes each
    assert "0.26 MB of Markdown text" in reading.oversized(text)
    cells = new_notebook(cells=[new_code_cell("") for _ in range(1001)])
    assert (
        reading.oversized(cells) == "it has 1001 cells; the grader reads at most 1000"
    )
    pasted = new_markdown_cell("![](attachment:a.png)")
    pasted.attachments = {"a.png": {"image/png": "A" * 2_000_001}}
    assert "attached images" in reading.oversized(new_notebook(cells=[pasted]))


def test_an_oversized_notebook_is_invalid_and_says_what_to_do():
    big = new_notebook(cells=[new_code_cell("x = 1\n" * 100_000)])
    content = nbformat.writes(big).encode()
    submission = Submission(student="s", chapter="01-modules", notebook=content)
    notebook, found = reading.submitted_notebook(submission)
    assert notebook is None
    status, message = classify(found)
    assert status is Status.INVALID
    assert message.startswith("The notebook is too large to grade: it holds 0.60 MB")
    assert "remove what was pasted into it" in message
