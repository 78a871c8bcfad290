"""Links of the built book: no broken local link or anchor (offline).

External links are only listed, by `nncourse links` (`make links`), which is
not part of the tests. NNCOURSE_BOOK_HTML points the tests at another build.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from nncourse import cli, links
from tests.conftest import REPO
from tests.serve import serve

HTML = Path(os.environ.get("NNCOURSE_BOOK_HTML", REPO / "_build" / "html"))


@pytest.fixture(scope="module")
def html() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML}/index.html is missing: run `make book` first.")
    return HTML


def test_no_broken_local_link_or_anchor(html):
    problems = links.broken_local_links(html)
    assert not problems, "Broken links in the book:\n" + "\n".join(problems)


def test_every_chapter_page_is_linked_from_the_book(html):
    linked = {
        (page.parent / link.split("#")[0]).resolve()
        for page, parsed in links.scan(html).items()
        for link in parsed.links
        if not links.is_external(link) and link.split("#")[0]
    }
    for chapter in sorted((html / "solutions").glob("*/*.html")):
        assert chapter.resolve() in linked, f"no page links to {chapter}"


#: The works each chapter must cite, as {cite:p} prints them.
CITATIONS = {
    "01-modules": ["PyTorch Contributors, 2025", "Xiao et al., 2017"],
    "05-backprop": ["Rumelhart et al., 1986"],
    "06-optimizer": ["Kingma and Ba, 2015", "Pascanu et al., 2013"],
    "07-training-loop": ["Xiao et al., 2017"],
    "08-convolutional-networks": [
        "Xiao et al., 2017",
        "He et al., 2016",
        "Lin et al., 2014",
    ],
}
CITATION = re.compile(
    r'<span class="bibtex-citation"[^>]*>\[<a class="reference internal" '
    r'href="[./]*book/references\.html#[^"]+"[^>]*>([^<]*(?:<em>[^<]*</em>[^<]*)*)</a>'
)


@pytest.mark.parametrize("chapter", sorted(CITATIONS))
def test_chapters_cite_their_sources_on_the_references_page(html, chapter):
    page = (html / "solutions" / chapter / f"{chapter}.html").read_text()
    cited = {re.sub(r"</?em>", "", label) for label in CITATION.findall(page)}
    assert set(CITATIONS[chapter]) <= cited, f"{chapter} cites {cited}"
    references = (html / "book" / "references.html").read_text()
    for label in CITATIONS[chapter]:
        assert f"[{label}]" in re.sub(r"</?em>|<[^>]+>", "", references), label


def test_glossary_defines_the_course_terms(html):
    glossary = links.parse_page(html / "book" / "glossary.html").ids
    for term in ("logits", "backpropagation", "learning-rate", "state_dict"):
        assert f"term-{term}" in glossary, sorted(glossary)


@pytest.fixture
def tiny_book(tmp_path) -> Path:
    """A three-page site with one link of each kind, good and broken."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<meta http-equiv="Refresh" content="0; url=page.html" />'
    )
    (tmp_path / "page.html").write_text(
        '<h1 id="top">Page</h1><a name="old-anchor"></a>'
        '<a href="#top">ok</a> <a href="#old-anchor">ok</a>'
        '<a href="sub/other.html#part">ok</a> <a href="sub/">ok: folder index</a>'
        '<a href="https://example.org/x">external</a> <a href="mailto:a@b.c">mail</a>'
        '<img src="missing.png"> <a href="sub/other.html#nowhere">bad anchor</a>'
        '<a href="#lost">bad local anchor</a> <a href="../outside.html">outside</a>'
        '<script src="//cdn.example.org/lib.js"></script>'
    )
    (tmp_path / "sub" / "other.html").write_text('<p id="part">x</p>')
    (tmp_path / "sub" / "index.html").write_text("<p>folder</p>")
    return tmp_path


def test_checker_reports_each_broken_link_and_anchor(tiny_book):
    problems = links.broken_local_links(tiny_book)
    assert problems == [
        "page.html: missing.png (no file missing.png)",
        "page.html: sub/other.html#nowhere (no id 'nowhere' in sub/other.html)",
        "page.html: #lost (no id 'lost' in page.html)",
        "page.html: ../outside.html (points outside the book)",
    ]


def test_checker_follows_the_redirect_page(tiny_book):
    (tiny_book / "page.html").rename(tiny_book / "renamed.html")
    problems = links.broken_local_links(tiny_book)
    assert "index.html: page.html (no file page.html)" in problems


def test_external_links_are_listed_with_their_pages(tiny_book, capsys):
    assert links.external_links(tiny_book) == {
        "//cdn.example.org/lib.js": ["page.html"],
        "https://example.org/x": ["page.html"],
    }
    assert cli.main(["links", "--html", str(tiny_book)]) == 0  # `nncourse links`
    assert "https://example.org/x\n    on page.html" in capsys.readouterr().out


def test_links_check_reports_a_dead_link(tmp_path, capsys):
    (tmp_path / "alive.html").write_text("alive")
    with serve(tmp_path) as base:
        (tmp_path / "index.html").write_text(
            f'<a href="{base}/alive.html">a</a><a href="{base}/dead.html">d</a>'
        )
        assert cli.main(["links", "--html", str(tmp_path), "--check"]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN {base}/dead.html: HTTP 404" in out
    assert "alive.html:" not in out and "Checked 2 links: 1 broken." in out
