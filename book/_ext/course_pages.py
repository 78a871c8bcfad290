"""Sphinx extension: render chapters from their nbgrader source, safely.

- At ``source-read`` a chapter notebook from ``solutions/`` goes through
  :func:`nncourse.preprocessors.book_page`: hidden tests removed, nbgrader's
  solution marker lines removed, answers tagged to render collapsed.
- At ``build-finished`` the copy of each chapter's source that Sphinx publishes
  under ``_sources/`` (the target of the page's ".ipynb" download button) is
  replaced by the student release from ``notebooks/``, so the instructor's
  notebook with its hidden tests is never published.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from sphinx.application import Sphinx

from nncourse.preprocessors import book_page

SOURCE_FOLDER = "solutions"
RELEASE_FOLDER = "notebooks"


def is_chapter(app: Sphinx, docname: str) -> bool:
    path = str(app.env.doc2path(docname))
    return docname.startswith(f"{SOURCE_FOLDER}/") and path.endswith(".ipynb")


def render_chapter(app: Sphinx, docname: str, source: list[str]) -> None:
    if is_chapter(app, docname):
        notebook = nbformat.reads(source[0], as_version=4)
        source[0] = nbformat.writes(book_page(notebook))


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


def setup(app: Sphinx) -> dict:
    app.connect("source-read", render_chapter)
    app.connect("build-finished", publish_release)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
