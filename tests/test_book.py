"""The built book in _build/html (`make test` builds it first, strictly)."""

from __future__ import annotations

import re

import nbformat
import pytest

from nncourse.preprocessors.book import FoldInstallFallback
from tests.conftest import REPO, chapter_ids
from tests.helpers import MARKERS

HTML = REPO / "_build" / "html"


@pytest.fixture(scope="module")
def html():
    if not (HTML / "index.html").is_file():
        pytest.fail("_build/html/index.html is missing: run `make book` first.")
    return HTML


def test_nothing_published_shows_nbgrader_markers(html):
    for path in html.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".md", ".txt", ".js"}:
            text = path.read_text(errors="replace")
            found = [marker for marker in MARKERS if marker in text]
            assert not found, f"{path.relative_to(REPO)} shows {found}"


@pytest.mark.parametrize("chapter", chapter_ids())
def test_chapter_page_has_outputs_figures_and_folded_answers(html, chapter):
    page = (html / "solutions" / chapter / f"{chapter}.html").read_text()
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    figures = sum(
        "image/png" in output.get("data", {})
        for cell in source.cells
        for output in cell.get("outputs", [])
    )
    answers = sum(
        bool(cell.metadata.get("nbgrader", {}).get("solution")) for cell in source.cells
    )
    assert figures > 0 and len(re.findall(r"<img ", page)) >= figures
    assert 'class="output' in page  # executed outputs are rendered
    assert page.count("Show code cell source") == answers  # every answer folded
    assert page.count(FoldInstallFallback.PROMPTS["code_prompt_show"]) == 1


@pytest.mark.parametrize("chapter", chapter_ids())
def test_download_is_the_exercise_version(html, chapter):
    published = html / "_sources" / "solutions" / chapter / f"{chapter}.ipynb"
    release = REPO / "notebooks" / chapter / f"{chapter}.ipynb"
    assert published.read_bytes() == release.read_bytes()
