"""Step 2, prepare: the course every worker grades in, and the real gradebook.

Each chapter is released (``generate_assignment``) from ``solutions/`` twice,
both times into a temporary course, so that the committed ``notebooks/`` is
never rewritten: once into a template course with its own gradebook, which
every worker copies, and once into the real gradebook.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from nncourse.grade.options import GradeOptions
from nncourse.release import generate_in

GRADEBOOK = "gradebook.db"


@dataclass(frozen=True)
class Template:
    """The files of the template course, and what they grade like."""

    files: dict[str, bytes]  # relative path -> content
    fingerprint: str  # changes whenever a grade could

    def write(self, folder: Path) -> None:
        for name, content in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def fingerprint(files: dict[str, bytes], inputs: dict) -> str:
    """What the grading of a notebook depends on besides the notebook: the
    course's sources and releases, the limits, the canaries."""
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode())
    for name, content in sorted(files.items()):
        if name != GRADEBOOK:  # holds timestamps; its content is the sources'
            digest.update(name.encode() + b"\0" + content)
    return digest.hexdigest()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def prepare(options: GradeOptions, tmp: Path) -> Template:
    """Release every chapter into a template course and the real gradebook."""
    template = tmp / "template"
    for chapter in options.chapters:
        generate_in(template, chapter, root=options.root)
        generate_in(tmp / "real", chapter, options.db_url, options.root)
    files = {
        name: content
        for name, content in _files(template).items()
        if name.startswith(("solutions/", "notebooks/")) or name == GRADEBOOK
    }
    return Template(files, fingerprint(files, options.grading_inputs()))
