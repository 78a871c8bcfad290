"""The exercises edition (``make book EDITION=exercises``): the same book with
every answer cell left out, built here from the chapters' executions that
``make book`` cached. No line of any answer is anywhere in it: not on a page,
not in the search index, not in a download; the lessons and the exercises'
text are all there; a reader in a browser sees no answer and the notice. Its
pages pass the accessibility check of tests/test_accessibility.py (axe-core:
no serious or critical violation; every figure with alt text)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.accessibility import built_pages, html_pages, page_problems
from tests.browser import chromium
from tests.conftest import REPO, chapter_ids
from tests.serve import serve

SHORTEST = 12  # shorter answer lines (`return x`) are common words of a lesson
QUOTED = 20  # a line this long is an answer's wherever it appears


def book_pages() -> list[str]:
    """The book's own pages (the guides), which quote common code too."""
    return [path.read_text() for path in (REPO / "book").glob("*.md")]


def is_answer(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def public_lines() -> set[str]:
    """Lines any reader may see: every chapter's release (its answer cells'
    given code too) and lessons, and the book's pages."""
    texts = book_pages()
    for chapter in chapter_ids():
        release = nbformat.read(REPO / "notebooks" / chapter / f"{chapter}.ipynb", 4)
        source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
        texts += [cell.source for cell in release.cells]
        texts += [cell.source for cell in source.cells if not is_answer(cell)]
    lines = {line.strip() for text in texts for line in text.splitlines()}
    # and what a paragraph says across its lines
    corpus = " ".join(" ".join(text.replace("`", "").split()) for text in texts)
    return lines | {corpus}


def answer_lines(chapter: str, shown: set[str]) -> set[str]:
    """Lines of the chapter's answers that are in nothing public."""
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    return {
        line.strip()
        for cell in source.cells
        if is_answer(cell)
        for line in cell.source.splitlines()
        if len(line.strip()) >= SHORTEST
        and line.strip() not in shown
        and not any(
            " ".join(line.split()) in text for text in shown if len(text) > 1000
        )
        and "SOLUTION" not in line
    }


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    if not (REPO / "_build" / ".jupyter_cache").is_dir():
        pytest.fail("_build/.jupyter_cache is missing: run `make book` first.")
    out = tmp_path_factory.mktemp("exercises")
    env = {**os.environ, "NNCOURSE_EDITION": "exercises"}
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    build = [str(jupyter_book), "build", str(REPO)]
    build += ["--all", "-W", "-n", "--keep-going", "--path-output", str(out)]
    done = subprocess.run(build, env=env, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return out / "_build" / "html"


def test_no_answer_line_is_anywhere_in_the_edition(edition):
    shown = public_lines()
    hidden = {chapter: answer_lines(chapter, shown) for chapter in chapter_ids()}
    assert all(len(lines) >= 5 for lines in hidden.values()), hidden
    texts = [
        path
        for path in edition.rglob("*")
        if path.is_file() and path.suffix in {".html", ".js", ".ipynb", ".txt", ".md"}
    ]
    assert any(path.name == "searchindex.js" for path in texts)
    for path in texts:
        text = path.read_text(errors="replace")
        unescaped = re.sub(r"<[^>]+>", "", text).replace("&quot;", '"')
        unescaped = unescaped.replace("&#39;", "'").replace("&gt;", ">")
        unescaped = unescaped.replace("&lt;", "<").replace("&amp;", "&")
        whole = {line.strip() for line in unescaped.splitlines()}
        for chapter, lines in hidden.items():
            # a short line (`return model`) counts as a whole line only
            shown = [
                line
                for line in lines
                if line in whole
                or (len(line) >= QUOTED and (line in text or line in unescaped))
            ]
            assert not shown, f"{path.relative_to(edition)} shows {chapter}: {shown}"


@pytest.mark.parametrize("chapter", chapter_ids())
def test_the_lessons_and_exercises_are_all_there(edition, chapter):
    page = (edition / "solutions" / chapter / f"{chapter}.html").read_text()
    assert "Show code cell source" not in page  # no folded answer: none at all
    assert 'class="output' in page  # the lessons' executed outputs
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    exercises = [
        number
        for cell in source.cells
        if cell.cell_type == "markdown"
        for number in re.findall(r"\{admonition\} (Exercise \d+):", cell.source)
    ]
    assert exercises, chapter
    text = re.sub(r"<[^>]+>", "", page)
    for exercise in exercises:
        assert f"{exercise}:" in text, exercise


@pytest.fixture(scope="module")
def reader(edition):
    """The edition served, and a browser tab on it."""
    with serve(edition) as base, chromium() as browser:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        yield tab, base


def test_a_reader_sees_the_notice_and_no_answer(reader):
    tab, base = reader
    chapter = "01-modules"
    lines = answer_lines(chapter, public_lines())
    tab.goto(f"{base}/solutions/{chapter}/{chapter}.html")
    visible = tab.inner_text("body")
    assert "leaves out the answers" in visible
    assert not [line for line in lines if line in visible]


def test_the_accessibility_check_covers_every_page(edition):
    assert built_pages(edition) == sorted(html_pages())


@pytest.mark.parametrize("path", html_pages())
def test_no_serious_axe_violation_and_figures_have_alt_text(reader, path):
    tab, base = reader
    problems = page_problems(tab, base, path)
    assert problems is None, problems
