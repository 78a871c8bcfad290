"""The chapters' checked outputs, from the book build's one execution.

Every chapter is executed once, by the book build (`make book`, strictly:
a cell that raises fails the build), into jupyter-cache. nbval would run each
chapter a second time only to compare the cells tagged
``nbval-check-output`` with the outputs stored in the source; this module
makes that comparison on the book's executed pages instead, with nbval's own
stream handling and the same sanitising rules (tests/sanitize.cfg).

What the second execution checked besides is checked elsewhere: that every
cell of a page runs (the strict build), and that the solution, hidden tests
included, passes top to bottom (tests/test_autograde.py grades it through
the real grader). `pytest -m notebooks` still runs nbval on its own, as the
CUDA workflow does (`make cuda-check`).
"""

from __future__ import annotations

import configparser
import re

import nbformat
import pytest
from jupyter_cache import get_cache
from nbval.plugin import coalesce_streams

from nncourse.preprocessors import book_page
from tests.conftest import REPO, chapter_ids

CACHE = REPO / "_build" / ".jupyter_cache"
SANITIZE = REPO / "tests" / "sanitize.cfg"
CHECKED = "nbval-check-output"


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The regex/replace pairs of tests/sanitize.cfg, as nbval reads them."""
    config = configparser.ConfigParser()
    config.read(SANITIZE)
    return [
        (re.compile(config[name]["regex"]), config[name]["replace"])
        for name in config.sections()
    ]


def shown(outputs: list, rules: list[tuple[re.Pattern, str]]) -> list[tuple]:
    """What nbval compares of a cell's outputs: each output's kind, stream
    and text (streams joined as nbval joins them), sanitised."""
    compared = []
    for output in coalesce_streams([nbformat.from_dict(o) for o in outputs]):
        text = output.get("text", "")
        if "data" in output:
            text = output["data"].get("text/plain", "")
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        compared.append((output["output_type"], output.get("name"), text))
    return compared


@pytest.fixture(scope="module")
def cache():
    if not CACHE.is_dir():
        pytest.fail(f"{CACHE.relative_to(REPO)} is missing: run `make book` first.")
    return get_cache(str(CACHE))


@pytest.mark.parametrize("chapter", chapter_ids())
def test_checked_outputs_match_the_source(cache, chapter):
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    page = book_page(nbformat.from_dict(source), "full")
    try:
        record = cache.match_cache_notebook(page)
    except KeyError:
        pytest.fail(f"{chapter} was not executed by the last `make book`: run it")
    executed = {cell.id: cell for cell in cache.get_cache_bundle(record.pk).nb.cells}
    rules = sanitizers()
    checked = [c for c in source.cells if CHECKED in c.metadata.get("tags", [])]
    assert checked, f"{chapter} has no cell tagged {CHECKED}"
    for cell in checked:
        assert cell.id in executed, f"{chapter}: cell {cell.id} is not on its page"
        expected = shown(cell.outputs, rules)
        got = shown(executed[cell.id].outputs, rules)
        assert got == expected, f"{chapter}, cell {cell.id}:\n{cell.source}"
