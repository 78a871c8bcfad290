"""The exporter of feedback pages: nbconvert's HTMLExporter, made cheap to
run once per notebook in a long-lived worker.

nbgrader builds a new exporter for every notebook, and nbconvert's own costs
then dominate a feedback page: Jinja compiles the page's templates afresh
(a few tenths of a second), and ``HTMLExporter`` parses the finished page
with BeautifulSoup only for its accessibility pass (alternative text on
images, ``tabindex`` on inputs and outputs; most of a page's cost: its
highlighted code is thousands of tags). :class:`FeedbackExporter` keeps
compiled templates for the life of the process, and makes the same
accessibility changes in one pass of the standard library's HTML tokenizer.
It also remembers the HTML of the code and Markdown it has rendered: every
student's notebook repeats the chapter's lesson cells, so after a worker's
first notebook of a chapter only the student's own cells go through Pygments
and mistune (together about half of what is left of a page's cost).

This is an adapter over nbconvert internals (``_create_environment``,
``_init_resources``, ``_nb_metadata``): nbconvert has no public way to reuse
compiled templates or to skip the re-parse. ``tests/unit/test_feedback_exporter.py``
pins it to upstream: the same document as ``HTMLExporter``'s, in both
templates. It goes when nbconvert makes its accessibility pass part of the
templates or a preprocessor (it came in jupyter/nbconvert#2021; its cost is
jupyter/nbconvert#2234) and takes a Jinja bytecode cache as an option.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from jinja2 import pass_context
from jinja2.bccache import Bucket, BytecodeCache
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

#: What nbconvert's HTMLExporter gives an image that has no alternative text.
MISSING_ALT = "No description has been provided for this image"


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, in memory. Keyed by template name and
    checked against the source's checksum by Jinja, so an edited template is
    compiled again."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.codes.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = (bucket.checksum, bucket.code)


COMPILED = CompiledTemplates()


#: The ``<div>`` classes that nbconvert makes focusable with ``tabindex="0"``
#: inside a ``.jp-Notebook`` (its lab template's; the classic one has none).
FOCUSABLE = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}


class _AccessibilityGaps(HTMLParser):
    """Where nbconvert's accessibility pass would add an attribute: after the
    tag name of each ``<img>`` without ``alt``, and of each focusable
    ``<div>`` (:data:`FOCUSABLE`) inside a ``.jp-Notebook``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.insertions: list[tuple[int, int, str]] = []  # (line, column, text)
        self.in_notebook = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        names = {name for name, _ in attrs}
        classes = set((dict(attrs).get("class") or "").split())
        line, column = self.getpos()
        if tag == "img" and "alt" not in names:
            self.insertions.append(
                (line, column + len("<img"), f' alt="{MISSING_ALT}"')
            )
        elif (
            tag == "div"
            and self.in_notebook
            and classes & FOCUSABLE
            and "tabindex" not in names
        ):
            self.insertions.append((line, column + len("<div"), ' tabindex="0"'))
        self.in_notebook = self.in_notebook or "jp-Notebook" in classes

    handle_startendtag = handle_starttag


def accessible(html: str) -> str:
    """``html`` with nbconvert's accessibility changes (:data:`MISSING_ALT`
    on every image without ``alt``, ``tabindex="0"`` on focusable divs), the
    rest of the page unchanged."""
    parser = _AccessibilityGaps()
    parser.feed(html)
    parser.close()
    if not parser.insertions:
        return html
    # HTMLParser counts lines by "\n" alone (str.splitlines knows others).
    starts = [0, *(newline.end() for newline in re.finditer("\n", html))]
    pieces, done = [], 0
    for line, column, text in parser.insertions:
        at = starts[line - 1] + column
        pieces += [html[done:at], text]
        done = at
    return "".join([*pieces, html[done:]])


#: How many rendered cells a worker remembers (a chapter has about a hundred).
REMEMBERED = 4096
#: HTML already rendered, by what it depends on, for every exporter of the
#: process (nbgrader makes one per notebook).
RENDERED: dict[str, str] = {}


def remembered(key: list, render) -> str:
    """``render()``'s HTML, computed once per process for each ``key`` (a
    JSON-able list of everything that HTML depends on)."""
    text = json.dumps(key, sort_keys=True, default=str)
    html = RENDERED.get(text)
    if html is None:
        if len(RENDERED) >= REMEMBERED:
            RENDERED.clear()
        html = RENDERED[text] = render()
    return html


class RememberedHighlight(Highlight2HTML):
    """nbconvert's code highlighter (a public filter), remembering what it
    rendered: the same source, language and formatter options give the same
    HTML. Of a cell's metadata only ``magics_language`` changes the result."""

    def __call__(self, source, language=None, metadata=None):
        key = [
            "code",
            source,
            language or self.pygments_lexer,
            (metadata or {}).get("magics_language"),
            self.extra_formatter_options,
        ]
        render = super().__call__
        return remembered(key, lambda: render(source, language, metadata))


class FeedbackExporter(HTMLExporter):
    """``HTMLExporter`` with compiled templates kept between pages, its
    BeautifulSoup pass replaced by :func:`accessible`, and rendered code and
    Markdown remembered (:class:`RememberedHighlight`, :meth:`markdown2html`)."""

    @pass_context
    def markdown2html(self, context, source):
        """nbconvert's Markdown filter, remembered by everything its result
        depends on: the source, the cell's attachments and the exporter's
        Markdown options. (Not where ``embed_images`` reads image files,
        which may change, from the notebook's folder: that is a student's
        own in each page, and nbgrader's feedback does not embed.)"""
        if self.embed_images:
            return super().markdown2html(context, source)
        key = [
            "markdown",
            source,
            context.get("cell", {}).get("attachments", {}),
            self.anchor_link_text,
            self.exclude_anchor_links,
            self.lexer_options,
        ]
        render = super().markdown2html
        return remembered(key, lambda: render(context, source))

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = COMPILED
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node up to its BeautifulSoup pass.
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", RememberedHighlight(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible(html), resources
