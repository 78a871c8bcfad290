"""Shared fixtures and paths for the course's tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# nbgrader commands started by the tests must find the course configuration.
os.environ.setdefault("JUPYTER_CONFIG_PATH", str(REPO / "autograder"))


def chapter_ids() -> list[str]:
    from nncourse.course import Course

    return Course(REPO).chapters()


@pytest.fixture(scope="session")
def fashion_mnist_root() -> Path:
    """The data folder; fails with the loader's own message when it is missing."""
    from nncourse.data import ensure_fashion_mnist

    return ensure_fashion_mnist()


#: Test modules that read the built book (_build/html): `make test` runs them
#: after the book build, and every other test beside it.
READS_THE_BOOK = {
    "test_book.py",
    "test_book_exercises.py",  # builds its edition from the book's cache
    "test_chapter_outputs.py",  # nbval's output checks, on the book's execution
    "test_browser.py",
    "test_accessibility.py",  # axe-core and the keyboard, in the browser
    "test_links.py",
}


#: Test modules that take a minute or more, longest first: seconds each
#: took in a fresh-clone `.ci/run` (its two chains together saturate both
#: cores, so these are longer than alone). pytest-xdist hands out modules in
#: collection order (`--no-loadscope-reorder`, see the Makefile): started
#: first, the long ones end together instead of one of them last, alone.
#: (The modules that mostly wait, a hub, a database, a lab server, are long
#: too, and overlap the others' work.)
LONGEST_FIRST = (
    "test_mutants.py",  # 305 s
    "test_accessibility.py",  # 296 s: axe-core on every page, the keyboard
    "test_hostile.py",  # 290 s: one class of 40 attacks
    "test_autograde.py",  # 271 s: every chapter, four students
    "test_grading.py",  # 269 s: a class, serial nbgrader, a zip via a scheduler
    "test_hub.py",  # 217 s
    "test_book_exercises.py",  # 204 s: the edition's build and axe-core
    "test_browser.py",  # 150 s
    "test_lab.py",  # 131 s
    "test_judged_grading.py",  # 123 s
    "test_postgres.py",  # 122 s
    "test_release.py",  # 118 s
    "test_sandbox.py",  # 102 s
    "test_grading_runs.py",  # 98 s: a killed run, run again, in a course under /tmp
)


def running_order(item) -> int:
    name = Path(item.path).name
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config, items):
    """The tiers, by folder: tests/unit is the unit tier (`make check`: no
    kernel, no book, no data); nbval's items (every notebook under solutions/)
    are the notebooks tier; the modules of :data:`READS_THE_BOOK` are the
    book tier; the rest carry their own marks (grading, sandbox, ...). The
    long modules run first (:data:`LONGEST_FIRST`)."""
    items.sort(key=running_order)  # stable: a module's tests keep their order
    solutions, unit = REPO / "solutions", REPO / "tests" / "unit"
    for item in items:
        path = Path(item.path)
        if unit in path.parents:
            item.add_marker(pytest.mark.unit)
        elif solutions in path.parents:
            item.add_marker(pytest.mark.notebooks)
            item.add_marker(pytest.mark.nbval)
        elif path.name in READS_THE_BOOK:
            item.add_marker(pytest.mark.book)


@pytest.fixture(scope="module")
def site():
    """The built book (tests.browser.HTML) served over http: its base URL."""
    from tests.browser import HTML
    from tests.serve import serve

    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML}/index.html is missing: run `make book` first.")
    with serve(HTML) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Chromium, for the module's tests (tests.browser.chromium)."""
    from tests.browser import chromium

    with chromium() as browser:
        yield browser
