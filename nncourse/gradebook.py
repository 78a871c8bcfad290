"""New SQLite gradebooks, copied from one empty gradebook that nbgrader made.

nbgrader's ``Gradebook``, opening a SQLite file without tables, creates the
tables and then runs the ``alembic heads`` command in a subprocess to stamp
the schema's version (``nbgrader.api.get_alembic_version``): about 3 s of CPU
for every new gradebook. The course makes many: a temporary course for each
released chapter, two gradebooks for each grading run. So nbgrader makes one
empty gradebook per installed nbgrader version, kept in the user's cache, and
every new gradebook starts as a copy of it; nbgrader then opens an existing
gradebook, as it does any instructor's, through its public API.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from importlib.metadata import version
from pathlib import Path

SQLITE = "sqlite:///"


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nncourse"


def make_empty(path: Path) -> None:
    """An empty gradebook at ``path``, made by nbgrader itself."""
    from nbgrader.api import Gradebook

    from nncourse.course import put_environment_on_path

    put_environment_on_path()  # nbgrader runs `alembic` from the environment
    Gradebook(SQLITE + str(path)).close()


@cache
def empty_gradebook() -> Path:
    """An empty gradebook made by nbgrader: from the user's cache, made there
    (atomically: several processes may ask at once) when missing. Where the
    cache cannot be written, in a folder of this process's own."""
    name = f"empty-gradebook-nbgrader-{version('nbgrader')}.db"
    try:
        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / name
        if kept.is_file():
            return kept
        made = Path(tempfile.mkdtemp(prefix=".gradebook-", dir=folder)) / name
    except OSError:
        own = Path(tempfile.mkdtemp(prefix="nncourse-gradebook-")) / name
        make_empty(own)
        return own
    try:
        make_empty(made)
        os.replace(made, kept)
    finally:
        shutil.rmtree(made.parent, ignore_errors=True)
    return kept


def start_gradebook(db_url: str) -> None:
    """Where ``db_url`` names a SQLite file that does not exist yet, make it
    a copy of :func:`empty_gradebook`; any other gradebook (a server's, an
    existing file) is left to nbgrader."""
    if not db_url.startswith(SQLITE):
        return
    path = Path(db_url.removeprefix(SQLITE))
    if path.exists() or not path.parent.is_dir():
        return
    shutil.copyfile(empty_gradebook(), path)
