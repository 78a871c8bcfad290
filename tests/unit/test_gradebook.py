"""New gradebooks start as copies of one that nbgrader made
(nncourse.gradebook), and nbgrader takes them as its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from nncourse import gradebook
from nncourse.gradebook import SQLITE, empty_gradebook, start_gradebook


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A cache of the test's own, and no empty gradebook remembered."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    empty_gradebook.cache_clear()
    yield tmp_path / "cache" / "nncourse"
    empty_gradebook.cache_clear()


def stamped_version(path: Path) -> str:
    with sqlite3.connect(path) as db:
        [(found,)] = db.execute("SELECT version_num FROM alembic_version")
    return found


def test_a_new_gradebook_is_nbgraders_own_and_opens_without_alembic(
    own_cache, tmp_path, monkeypatch
):
    made = empty_gradebook()
    assert made.parent == own_cache and not list(own_cache.glob(".gradebook-*"))
    # The contract with nbgrader: the empty gradebook carries the schema
    # version that `alembic heads` gives for the installed nbgrader.
    heads = migrations_head()
    assert stamped_version(made) == heads

    path = tmp_path / "course" / "gradebook.db"
    path.parent.mkdir()
    start_gradebook(SQLITE + str(path))
    # nbgrader opens it as an existing gradebook: it runs no alembic, which
    # is no longer on PATH, and records what an instructor's would.
    monkeypatch.setenv("PATH", "/nonexistent")
    with Gradebook(SQLITE + str(path)) as book:
        book.add_assignment("01-modules")
        book.add_student("ann")
    with Gradebook(SQLITE + str(path)) as book:
        assert [a.name for a in book.assignments] == ["01-modules"]
    assert stamped_version(path) == heads


def test_an_existing_gradebook_or_a_server_is_left_alone(own_cache, tmp_path):
    kept = tmp_path / "gradebook.db"
    kept.write_bytes(b"an instructor's gradebook")
    start_gradebook(SQLITE + str(kept))
    assert kept.read_bytes() == b"an instructor's gradebook"
    start_gradebook("postgresql://grader@localhost/grades")
    start_gradebook(SQLITE + str(tmp_path / "no such folder" / "gradebook.db"))
    assert not (tmp_path / "no such folder").exists()
    assert not own_cache.exists()  # nothing needed an empty gradebook


def test_an_unwritable_cache_makes_one_for_the_process(monkeypatch):
    made = []
    monkeypatch.setattr(gradebook, "make_empty", lambda path: made.append(path))
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-cache-here")
    empty_gradebook.cache_clear()
    try:
        path = empty_gradebook()
        assert made == [path] and path.parent.is_dir()
        assert not path.is_relative_to("/proc")
        assert empty_gradebook() == path  # made once
    finally:
        empty_gradebook.cache_clear()


def migrations_head() -> str:
    """The newest revision of nbgrader's gradebook migrations (what
    ``alembic heads`` prints), read with alembic's API."""
    import nbgrader
    from alembic.script import ScriptDirectory

    folder = Path(nbgrader.__file__).parent / "alembic"
    return ScriptDirectory(str(folder)).get_current_head()
