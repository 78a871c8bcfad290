"""A course: where its parts are, and nbgrader's configuration of them.

Every command works on one :class:`Course`, given by ``--course DIR`` or else
the course that holds the working folder (as git finds its repository); no
module keeps a course root of its own.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

CONFIG_DIR = "autograder"
CONFIG_FILE = "nbgrader_config.py"


@dataclass(frozen=True)
class Course:
    """The folder of a course: ``solutions/`` (one source per chapter),
    ``notebooks/`` (their releases) and ``autograder/`` (nbgrader's
    configuration, the specs, the kept answers)."""

    root: Path

    @staticmethod
    def holds_a_course(folder: Path) -> bool:
        return (folder / CONFIG_DIR / CONFIG_FILE).is_file() and (
            folder / "solutions"
        ).is_dir()

    @classmethod
    def at(cls, root: Path | str) -> Course:
        """The course in ``root``; a clear error if there is none."""
        root = Path(root).expanduser().resolve()
        if not cls.holds_a_course(root):
            raise SystemExit(
                f"{root} is not a course: it has no {CONFIG_DIR}/{CONFIG_FILE} "
                "and solutions/. Pass --course with the course's folder."
            )
        return cls(root)

    @classmethod
    def find(cls, start: Path | str | None = None) -> Course:
        """The course that holds ``start`` (default: the working folder)."""
        start = Path(start or Path.cwd()).expanduser().resolve()
        for folder in (start, *start.parents):
            if cls.holds_a_course(folder):
                return cls(folder)
        raise SystemExit(
            f"No course in {start} or a folder above it (a course has "
            f"{CONFIG_DIR}/{CONFIG_FILE} and solutions/). Run the command in "
            "the course's folder, or pass --course DIR."
        )

    # ---- its parts

    @property
    def autograder(self) -> Path:
        return self.root / CONFIG_DIR

    @property
    def specs(self) -> Path:
        """The graders' specs, one ``NN-topic.py`` per judged chapter."""
        return self.autograder / "specs"

    def spec(self, chapter: str) -> Path:
        return self.specs / f"{chapter}.py"

    def kept_answers(self, kind: str, chapter: str) -> Path:
        """``kind`` is ``wrong`` or ``right``: ``autograder/KIND-answers/CH/``."""
        return self.autograder / f"{kind}-answers" / chapter

    def source(self, chapter: str) -> Path:
        """The chapter's one hand-edited source notebook."""
        return self.root / "solutions" / chapter / f"{chapter}.ipynb"

    def released(self, chapter: str) -> Path:
        """The chapter's student release."""
        return self.root / "notebooks" / chapter / f"{chapter}.ipynb"

    def chapters(self) -> list[str]:
        """Chapter ids: each folder ``solutions/NN-topic/`` with ``NN-topic.ipynb``."""
        return sorted(
            folder.name
            for folder in (self.root / "solutions").iterdir()
            if (folder / f"{folder.name}.ipynb").is_file()
        )

    def resolve(self, requested: list[str]) -> list[str]:
        """Map ``01`` or ``01-modules`` to chapter ids; all chapters when empty."""
        known = self.chapters()
        if not requested:
            return known
        resolved = []
        for name in requested:
            matches = [c for c in known if c == name or c.split("-", 1)[0] == name]
            if len(matches) != 1:
                raise SystemExit(
                    f"No chapter {name!r} in {self.root / 'solutions'}; "
                    f"the chapters are: {', '.join(known)}."
                )
            resolved.append(matches[0])
        return resolved

    def nbgrader_config(self, **overrides: dict) -> Config:
        """The course's nbgrader config, with ``overrides`` such as
        ``CourseDirectory={"root": "/tmp/x"}`` merged on top."""
        loader = PyFileConfigLoader(CONFIG_FILE, path=str(self.autograder))
        config = loader.load_config()
        config.merge(Config(overrides))
        return config


def put_environment_on_path() -> None:
    """Let nbgrader find the tools it runs as commands (``alembic``) in the
    environment this Python belongs to, even when it is not activated."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
