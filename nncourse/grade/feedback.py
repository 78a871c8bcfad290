"""The exporter of feedback pages: nbconvert's HTMLExporter, made cheap to
run once per notebook in a long-lived worker.

nbgrader builds a new exporter for every notebook, and nbconvert's own costs
then dominate a feedback page: Jinja compiles the page's templates afresh
(a few tenths of a second), and ``HTMLExporter`` parses the finished page
with BeautifulSoup only to add alternative text to images (most of a page's
cost: its highlighted code is thousands of tags). :class:`FeedbackExporter`
keeps compiled templates for the life of the process, and adds the same
alternative text in one pass of the standard library's HTML tokenizer.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

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


class _ImagesWithoutAlt(HTMLParser):
    """Where each ``<img>`` without an ``alt`` attribute ends its tag name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.positions: list[tuple[int, int]] = []  # (line, column)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "img" and not any(name == "alt" for name, _ in attrs):
            line, column = self.getpos()
            self.positions.append((line, column + len("<img")))

    handle_startendtag = handle_starttag


def with_alt_text(html: str) -> str:
    """``html`` with :data:`MISSING_ALT` on every image that has no ``alt``,
    as nbconvert's HTMLExporter does, the rest of the page unchanged."""
    parser = _ImagesWithoutAlt()
    parser.feed(html)
    parser.close()
    if not parser.positions:
        return html
    # HTMLParser counts lines by "\n" alone (str.splitlines knows others).
    starts = [0, *(newline.end() for newline in re.finditer("\n", html))]
    pieces, done = [], 0
    for line, column in parser.positions:
        at = starts[line - 1] + column
        pieces += [html[done:at], f' alt="{MISSING_ALT}"']
        done = at
    return "".join([*pieces, html[done:]])


class FeedbackExporter(HTMLExporter):
    """``HTMLExporter`` with compiled templates kept between pages and its
    BeautifulSoup pass replaced by :func:`with_alt_text`."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = COMPILED
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node up to its BeautifulSoup pass.
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return with_alt_text(html), resources
