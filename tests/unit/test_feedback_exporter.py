"""The feedback exporter makes nbconvert's page, with less work."""

from __future__ import annotations

import base64
import copy

import jinja2
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nncourse.grade.feedback import MISSING_ALT, FeedbackExporter, accessible
from nncourse.grade.worker import FEEDBACK_HTML

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n-an-image-").decode()
URL = f"data:image/png;base64,{PNG}"


def notebook():
    return new_notebook(
        cells=[
            new_markdown_cell("# A title\nText with $x^2$ and `code`."),
            new_code_cell(
                "import torch\nx = torch.ones(3)  # a comment\nprint(x)",
                outputs=[
                    new_output(
                        "stream", name="stdout", text="tensor([1., 1., 1.])\r\n"
                    ),
                    new_output("display_data", data={"image/png": PNG}),
                    new_output(
                        "display_data",
                        data={
                            "text/html": f"<img alt='kept' src='{URL}'>"
                            f"\u2028<IMG SRC='{URL}'/>"
                        },
                    ),
                ],
            ),
        ]
    )


@pytest.mark.parametrize("template", ["classic", "lab"])
def test_a_page_is_nbconverts_page(template):
    """The adapter's contract with nbconvert (see nncourse.grade.feedback)."""
    ours = FeedbackExporter(template_name=template, **FEEDBACK_HTML)
    theirs = HTMLExporter(template_name=template, **FEEDBACK_HTML)
    cells = notebook()  # cell ids are random
    page = ours.from_notebook_node(copy.deepcopy(cells))[0]
    expected = theirs.from_notebook_node(cells)[0]
    # The same document; nbconvert's went through BeautifulSoup's serializer.
    assert str(BeautifulSoup(page, "html.parser")) == expected
    assert page.count(f'alt="{MISSING_ALT}"') == 2
    assert 'alt="kept"' in page
    # The lab template's inputs and outputs take the keyboard's focus.
    focusable = 0 if template == "classic" else 2 + 3  # two cells, three outputs
    assert page.count('tabindex="0"') == focusable


def test_templates_are_compiled_once_per_process(monkeypatch):
    FeedbackExporter(template_name="classic").from_notebook_node(notebook())
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    page = FeedbackExporter(template_name="classic").from_notebook_node(notebook())[0]
    assert compiled == [] and "A title" in page


def test_alt_text_goes_on_images_only():
    page = (
        "<p>&lt;img src=x&gt; a\rb\x0cc\u2028</p>\n"
        "<div><img src=a></div><img alt='' src=b>\n"
        '<script>document.write("<img src=c>")</script>'
        "<pre>\n\n</pre><img\nsrc=d />"
    )
    assert accessible(page) == page.replace(
        "<img src=a>", f'<img alt="{MISSING_ALT}" src=a>'
    ).replace("<img\nsrc=d />", f'<img alt="{MISSING_ALT}"\nsrc=d />')
    assert accessible("<p>no images</p>") == "<p>no images</p>"


def test_rendered_cells_are_remembered_and_never_stale(monkeypatch):
    """A lesson cell that every student's notebook repeats is rendered once
    per process; a cell whose source, language or attachments differ is
    rendered afresh."""
    from nbconvert.filters import highlight

    def page(cells, folder="/grading/student-a"):
        exporter = FeedbackExporter(template_name="lab", **FEEDBACK_HTML)
        resources = {"metadata": {"path": folder}}  # each student's own
        return exporter.from_notebook_node(new_notebook(cells=cells), resources)[0]

    first = page([new_markdown_cell("Lesson *prose*"), new_code_cell("x = 1")])
    calls, rendered = [], []
    original = highlight._pygments_highlight
    markdown = HTMLExporter.markdown2html

    def counting(source, *args, **kwargs):
        calls.append(source)
        return original(source, *args, **kwargs)

    def counting_markdown(self, context, source):
        rendered.append(source)
        return markdown(self, context, source)

    monkeypatch.setattr(highlight, "_pygments_highlight", counting)
    monkeypatch.setattr(HTMLExporter, "markdown2html", counting_markdown)
    lesson = [new_markdown_cell("Lesson *prose*"), new_code_cell("x = 1")]
    again = page(lesson, "/grading/student-b")
    assert calls == rendered == [] and again.count("<em>prose</em>") == 1
    assert again.count('<span class="n">x</span>') == first.count(
        '<span class="n">x</span>'
    )
    edited = page([new_markdown_cell("Lesson **prose**"), new_code_cell("y = 1")])
    assert calls == ["y = 1"] and rendered == ["Lesson **prose**"]
    assert "<strong>prose</strong>" in edited and '<span class="n">y</span>' in edited
    image = new_markdown_cell("![a](attachment:a.png)")
    image.attachments = {"a.png": {"image/png": PNG}}
    other = new_markdown_cell("![a](attachment:a.png)")
    other.attachments = {"a.png": {"image/png": base64.b64encode(b"other").decode()}}
    assert PNG in page([image]) and PNG not in page([other])
