"""The HTML a feedback page may carry of what a student's notebook showed.

nbconvert's ``HTMLExporter.sanitize_html`` passes every Markdown cell and HTML
output through its ``clean_html`` filter (bleach): no script, event handler or
``javascript:`` link survives, and JavaScript outputs are dropped. Its allowed
tags lack paragraphs, headings, lists and images, so an honest Markdown cell
would show its tags as text; :func:`clean_feedback_html` is that filter with
the tags of ordinary Markdown and inline images (PNG, JPEG, GIF as ``data:``
URLs only). MathJax reads the page's text, so math renders either way.
"""

from __future__ import annotations

from functools import lru_cache

import bleach
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

MARKDOWN_TAGS = {
    *bleach.ALLOWED_TAGS,
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "img", "sub", "sup"),
    *("div", "pre", "code", "span", "table", "thead", "tbody", "tr", "th", "td"),
    *("dl", "dt", "dd", "del", "s", "kbd"),
}
IMAGE_URLS = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/gif;")
LINK_PROTOCOLS = {"http", "https", "mailto"}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "id", "title", "alt", "align"):
        return True
    if tag == "a" and name == "href":
        return value.startswith(("#", "/")) or value.split(":", 1)[0] in (
            LINK_PROTOCOLS
        )
    if tag == "img" and name == "src":
        return value.startswith(IMAGE_URLS)
    return tag == "img" and name in ("width", "height")


def clean_feedback_html(element) -> str:
    """``element`` with only inert markup left (a Jinja filter)."""
    text = element.decode() if isinstance(element, bytes) else str(element)
    return bleach.clean(
        text,
        tags=MARKDOWN_TAGS,
        attributes=_allowed_attribute,
        protocols=[*LINK_PROTOCOLS, "data"],
        css_sanitizer=CSSSanitizer(),
    )


@lru_cache(maxsize=4096)
def sanitized_markdown(source: str) -> str:
    """A Markdown cell's source as cleaned HTML with no blank line, so that
    Markdown passes it through unchanged when the page is made. Remembered:
    every student's notebook repeats the chapter's lesson cells, and the
    result depends on the source alone."""
    rendered = clean_feedback_html(markdown2html_mistune(source))
    lines = [line if line.strip() else "&#32;" for line in rendered.splitlines()]
    return "<div>\n" + "\n".join(lines) + "\n</div>"


class SanitizeMarkdownCells(Preprocessor):
    """Replace each Markdown cell by its rendering, cleaned
    (:func:`sanitized_markdown`): nbgrader's feedback template renders
    Markdown cells without nbconvert's ``clean_html``."""

    enabled = Bool(True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = sanitized_markdown(cell.source)
        return cell, resources
