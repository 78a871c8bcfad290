"""Where the course's parts are, and nbgrader's configuration of them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

#: The checkout this package was installed from (``pip install -e .``).
REPO = Path(__file__).resolve().parent.parent
CONFIG_DIR = "autograder"
CONFIG_FILE = "nbgrader_config.py"


def chapters(root: Path = REPO) -> list[str]:
    """Chapter ids: the folders ``solutions/NN-topic/`` holding ``NN-topic.ipynb``."""
    return sorted(
        folder.name
        for folder in (root / "solutions").iterdir()
        if (folder / f"{folder.name}.ipynb").is_file()
    )


def resolve_chapters(requested: list[str], root: Path = REPO) -> list[str]:
    """Map ``01`` or ``01-modules`` to chapter ids; all chapters when empty."""
    known = chapters(root)
    if not requested:
        return known
    resolved = []
    for name in requested:
        matches = [c for c in known if c == name or c.split("-", 1)[0] == name]
        if len(matches) != 1:
            raise SystemExit(
                f"No chapter {name!r} in {root / 'solutions'}; "
                f"the chapters are: {', '.join(known)}."
            )
        resolved.append(matches[0])
    return resolved


def nbgrader_config(root: Path = REPO, **overrides: dict) -> Config:
    """The course's nbgrader config, with ``overrides`` such as
    ``CourseDirectory={"root": "/tmp/x"}`` merged on top."""
    config = PyFileConfigLoader(CONFIG_FILE, path=str(root / CONFIG_DIR)).load_config()
    config.merge(Config(overrides))
    return config


def put_environment_on_path() -> None:
    """Let nbgrader find the tools it runs as commands (``alembic``) in the
    environment this Python belongs to, even when it is not activated."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
