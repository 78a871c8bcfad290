"""The book folds the set-up cell's install fallback (FoldInstallFallback):
readers see the imports, not the plumbing; the notebooks stay one cell."""

from __future__ import annotations

import copy

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nncourse.preprocessors import FoldInstallFallback, book_page
from tests.conftest import REPO, chapter_ids
from tests.helpers import answer_cell

FALLBACK = """\
# Hosted runtimes such as Colab do not have nncourse: the cell installs it.
try:
    import nncourse
except ModuleNotFoundError:
    import subprocess
    import sys
    subprocess.check_call([sys.executable, "-m", "pip", "install", "nncourse"])
    import nncourse"""
IMPORTS = """\
# Before torch loads: as many CPU threads as other work leaves free.
nncourse.set_cpu_threads()

import torch

device = nncourse.pick_device()
print(device)"""
PRINTED = new_output("stream", name="stdout", text="cpu\n")


def setup_cell(cell_id: str = "setup") -> nbformat.NotebookNode:
    cell = new_code_cell(f"{FALLBACK}\n\n{IMPORTS}", outputs=[PRINTED])
    cell.id, cell.execution_count = cell_id, 1
    return cell


def tiny_notebook() -> nbformat.NotebookNode:
    lesson = new_code_cell("print('lesson')")
    lesson.id = "lesson"
    title = new_markdown_cell("# A chapter")
    title.id = "title"
    answer = answer_cell("a", "def f():\n    return 1")
    answer.id = "answer"
    return new_notebook(cells=[title, setup_cell(), lesson, answer])


def fold(notebook):
    notebook, _ = FoldInstallFallback().preprocess(notebook, {})
    return notebook


def test_the_fallback_becomes_a_folded_cell_before_the_imports():
    source = tiny_notebook()
    page = fold(copy.deepcopy(source))
    nbformat.validate(page)
    title, install, imports, *rest = page.cells
    assert title == source.cells[0] and rest == source.cells[2:]
    assert install.cell_type == "code" and install.source == FALLBACK
    assert install.metadata["tags"] == ["hide-input"]
    assert install.metadata["mystnb"] == FoldInstallFallback.PROMPTS
    assert install.outputs == [] and install.execution_count is None
    # the visible part is the set-up cell: its id, its outputs, no fold
    assert imports.id == "setup" and install.id == "setup-install"
    assert imports.source == IMPORTS
    assert imports.outputs == [PRINTED] and imports.execution_count == 1
    assert "tags" not in imports.metadata


def test_folding_twice_is_folding_once():
    once = fold(tiny_notebook())
    assert fold(copy.deepcopy(once)) == once


def test_the_new_id_is_unique():
    notebook = tiny_notebook()
    notebook.cells[2].id = "setup-install"  # taken
    page = fold(notebook)
    ids = [cell.id for cell in page.cells]
    assert len(set(ids)) == len(ids)
    nbformat.validate(page)


@pytest.mark.parametrize(
    "source",
    [
        IMPORTS,
        "import nncourse\n\nprint(1)",
        "try:\n    import torch\nexcept ModuleNotFoundError:\n    torch = None\nx = 1",
        "try:\n    import nncourse\nexcept ImportError:\n    pass\nx = 1",
        f"x = 1\n{FALLBACK}",  # not where the cell starts
        f"%matplotlib inline\n{FALLBACK}\n\n{IMPORTS}",  # IPython: no set-up cell
        "",
    ],
)
def test_a_cell_without_the_fallback_is_untouched(source):
    cell = new_code_cell(source)
    notebook = new_notebook(cells=[cell])
    assert fold(copy.deepcopy(notebook)) == notebook


def test_a_cell_of_the_fallback_alone_is_folded_in_place():
    cell = new_code_cell(FALLBACK)
    (folded,) = fold(new_notebook(cells=[cell])).cells
    assert folded.id == cell.id and folded.metadata["tags"] == ["hide-input"]


@pytest.mark.parametrize("edition", ["full", "exercises"])
def test_book_page_folds_it_in_both_editions(edition):
    page = book_page(tiny_notebook(), edition)
    install, imports = page.cells[1:3]
    assert install.metadata["tags"] == ["hide-input"] and imports.id == "setup"
    assert imports.source == IMPORTS


@pytest.mark.parametrize("chapter", chapter_ids())
def test_every_chapter_page_folds_its_fallback_and_its_notebooks_do_not(chapter):
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    release = nbformat.read(REPO / "notebooks" / chapter / f"{chapter}.ipynb", 4)
    page = book_page(copy.deepcopy(source))
    nbformat.validate(page)
    folded = [cell for cell in page.cells if cell.id.endswith("-install")]
    assert len(folded) == 1, f"{chapter}: {len(folded)} install folds"
    code = [cell for cell in page.cells if cell.cell_type == "code"]
    install, imports = code[:2]
    assert install.metadata["tags"] == ["hide-input"]
    assert install.source.startswith("# Hosted runtimes such as Colab")
    assert "import nncourse" not in imports.source
    assert "nncourse.pick_device()" in imports.source
    for notebook in (source, release):  # students run one set-up cell
        first = next(cell for cell in notebook.cells if cell.cell_type == "code")
        assert first.source.startswith(install.source)
        assert first.id == imports.id
