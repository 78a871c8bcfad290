"""Sphinx extension: render chapters from their nbgrader source, safely.

- At ``source-read`` a chapter notebook from ``solutions/`` goes through
  :func:`nncourse.preprocessors.book_page`: hidden tests removed, nbgrader's
  solution marker lines removed, the set-up cell's install fallback split off
  and folded, answers tagged to render collapsed; in the exercises edition
  (``NNCOURSE_EDITION=exercises``, ``make book EDITION=exercises``), tagged
  alike (so both editions share one cached execution), then removed from the
  page at ``doctree-read``, and every page says so.
- At ``build-finished`` the copy of each chapter's source that Sphinx publishes
  under ``_sources/`` (the target of the page's ".ipynb" download button) is
  replaced by the student release from ``notebooks/``, so the instructor's
  notebook with its hidden tests is never published.
- At ``html-page-context``, after sphinx-book-theme has built a chapter's
  launch buttons (Binder, JupyterHub through nbgitpuller, Colab) from the
  page's source path, they are pointed at the exercise version in
  ``notebooks/`` instead of the source in ``solutions/``. A chapter page that
  lacks one of these buttons, or whose button does not name its source, is a
  build warning (an error in the strict build).
- The bibliography (``book/references.md``) lists each work under the same
  "Author et al., year" label that ``{cite:p}`` prints in the chapters (the
  ``course`` pybtex style, ``bibtex_default_style`` in ``_config.yml``).
- With ``launch_buttons.thebe`` off, sphinx-thebe's scripts are dropped from
  every page: they are unused, and Sphinx 7.4 emits sphinx-thebe's inline
  configuration script twice, a console error on every page.
- Accessibility (tests/test_accessibility.py runs axe-core on every page):
  the bibliography's entries are ARIA list items (docutils writes them
  ``role="doc-biblioentry"`` inside ``role="list"``, which DPUB-ARIA 1.1
  deprecates because a list may only own list items: axe's critical
  aria-required-children); a folded cell's button is named by the prompt it
  shows ("Show code cell source"), not myst-nb's fixed ``aria-label``
  "Toggle hidden content", which hid that prompt from screen readers.
"""

from __future__ import annotations

import os
import shutil
import types
from pathlib import Path

import nbformat
from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle
from sphinx.application import Sphinx
from sphinx.util import logging

from nncourse.preprocessors import book_page
from nncourse.preprocessors.book import ANSWER_TAG, EDITIONS

SOURCE_FOLDER = "solutions"
RELEASE_FOLDER = "notebooks"
#: The launch buttons every chapter page must offer, by their text.
LAUNCH_PROVIDERS = ("Binder", "JupyterHub", "Colab")

logger = logging.getLogger(__name__)


def is_chapter(app: Sphinx, docname: str) -> bool:
    path = str(app.env.doc2path(docname))
    return docname.startswith(f"{SOURCE_FOLDER}/") and path.endswith(".ipynb")


EDITION_VARIABLE = "NNCOURSE_EDITION"
EXERCISES_NOTICE = (
    "This edition of the book leaves out the answers to the exercises; "
    "the full edition follows at the end of the term."
)


def edition() -> str:
    chosen = os.environ.get(EDITION_VARIABLE, "full")
    if chosen not in EDITIONS:
        raise ValueError(
            f"{EDITION_VARIABLE}={chosen!r} is no edition of the book; "
            f"choose one of {', '.join(EDITIONS)}."
        )
    return chosen


def announce_edition(app: Sphinx, config) -> None:
    """Every page of the exercises edition says what it leaves out."""
    if edition() == "exercises":
        options = dict(config.html_theme_options or {})
        options["announcement"] = EXERCISES_NOTICE
        config.html_theme_options = options


def render_chapter(app: Sphinx, docname: str, source: list[str]) -> None:
    if is_chapter(app, docname):
        notebook = nbformat.reads(source[0], as_version=4)
        source[0] = nbformat.writes(book_page(notebook, edition()))


def leave_out_answers(app: Sphinx, doctree: nodes.document) -> None:
    """The exercises edition: each answer code cell ran (from the same cached
    execution as the full edition's) and now leaves the page with its
    outputs, before anything is written or indexed for search."""
    if edition() != "exercises":
        return
    for cell in list(doctree.findall(nodes.container)):
        tags = cell.get("cell_metadata", {}).get("tags", [])
        if cell.get("nb_element") == "cell_code" and ANSWER_TAG in tags:
            cell.parent.remove(cell)


def publish_release(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    for docname in sorted(app.env.found_docs):
        if not is_chapter(app, docname):
            continue
        release = root / RELEASE_FOLDER / Path(docname).relative_to(SOURCE_FOLDER)
        release = release.with_suffix(".ipynb")
        if not release.is_file():
            raise FileNotFoundError(
                f"{release} is missing: run `nncourse release` before building "
                "the book, so the page's download offers the exercise version."
            )
        published = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        published.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(release, published)


def release_path(docname: str) -> str:
    """The release of a chapter: ``solutions/01-modules/01-modules`` ->
    ``notebooks/01-modules/01-modules.ipynb``."""
    return f"{RELEASE_FOLDER}/{Path(docname).relative_to(SOURCE_FOLDER)}.ipynb"


def launch_exercise_version(app, pagename, templatename, context, doctree) -> None:
    """Point a chapter page's launch buttons at its student release."""
    if pagename not in app.env.found_docs or not is_chapter(app, pagename):
        return
    source, release = f"{pagename}.ipynb", release_path(pagename)
    groups = [
        button
        for button in context.get("header_buttons", [])
        if button.get("label") == "launch-buttons"
    ]
    buttons = {
        button.get("text"): button for group in groups for button in group["buttons"]
    }
    for provider in LAUNCH_PROVIDERS:
        button = buttons.get(provider)
        if button is None:
            logger.warning(
                f"{pagename}: no {provider} launch button; check launch_buttons "
                "in _config.yml",
                type="course_pages",
                subtype="launch",
            )
        elif source not in button["url"]:
            logger.warning(
                f"{pagename}: the {provider} launch link {button['url']} does not "
                f"name {source}, so it cannot be pointed at {release}",
                type="course_pages",
                subtype="launch",
            )
        else:
            button["url"] = button["url"].replace(source, release)


def is_thebe_script(script) -> bool:
    filename = str(getattr(script, "filename", None) or "")
    body = getattr(script, "attributes", {}).get("body", "")
    return filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def drop_unused_thebe(app, pagename, templatename, context, doctree) -> None:
    launch = app.config.html_theme_options.get("launch_buttons", {})
    if not launch.get("thebe") and "script_files" in context:
        context["script_files"] = [
            script for script in context["script_files"] if not is_thebe_script(script)
        ]


class CitationListItems:
    """A translator mixin: each entry of a citation list is a list item."""

    def visit_citation(self, node) -> None:
        start = len(self.body)
        super().visit_citation(node)
        self.body[start:] = [
            part.replace('role="doc-biblioentry"', 'role="listitem"')
            for part in self.body[start:]
        ]


def list_citations_as_list_items(app: Sphinx) -> None:
    """After pydata-sphinx-theme has set its translator (priority 500)."""
    if app.builder.format != "html":
        return
    name = app.builder.name
    base = app.registry.translators.get(name, app.builder.default_translator_class)
    translator = types.new_class("CourseHTMLTranslator", (CitationListItems, base))
    app.set_translator(name, translator, override=True)


FOLD_LABEL = '<summary aria-label="Toggle hidden content">'


def visit_fold(self, node) -> None:
    """myst-nb's fold of a cell, its summary named by its visible prompt."""
    start = len(self.body)
    visit_HideCellInput(self, node)
    self.body[start:] = [
        part.replace(FOLD_LABEL, "<summary>") for part in self.body[start:]
    ]


def last_name(person) -> str:
    """A person's last name without BibTeX's protecting braces."""
    return " ".join(person.prelast_names + person.last_names).strip("{}")


class AuthorYearLabels(BaseLabelStyle):
    """Labels like the citations: "Xiao et al., 2017", "Kingma and Ba, 2015"."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            names = [last_name(person) for person in entry.persons.get("author", [])]
            if len(names) > 2:
                authors = f"{names[0]} et al."
            else:
                authors = " and ".join(names) or entry.fields.get("title", entry.key)
            yield f"{authors}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearSorting(SortingStyle):
    """By author, year and title; ``{PyTorch Contributors}`` sorts under P."""

    def person_key(self, person) -> str:
        return f"{last_name(person)}  {' '.join(person.first_names)}".lower()


class CourseBibliographyStyle(UnsrtStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = AuthorYearSorting


def setup(app: Sphinx) -> dict:
    register_plugin(
        "pybtex.style.formatting", "course", CourseBibliographyStyle, force=True
    )
    app.connect("config-inited", announce_edition)
    app.connect("builder-inited", list_citations_as_list_items, priority=600)
    app.add_node(
        HideCodeCellNode, override=True, html=(visit_fold, depart_HideCellInput)
    )
    app.connect("source-read", render_chapter)
    app.connect("doctree-read", leave_out_answers)
    app.connect("build-finished", publish_release)
    # sphinx-book-theme builds the launch buttons at priority 501.
    app.connect("html-page-context", launch_exercise_version, priority=600)
    app.connect("html-page-context", drop_unused_thebe, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
