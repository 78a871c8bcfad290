"""Step 2, prepare: the course every worker grades in, and the real gradebook.

Each chapter is released (``generate_assignment``) from ``solutions/`` twice,
both times into a temporary course, so that the committed ``notebooks/`` is
never rewritten: once into a template course with its own gradebook, which
every worker copies, and once into the real gradebook. The template names
the chapters with specs that the class handed in: for each, the solution's
outcomes on this run's inputs are computed once, for every student, by a
worker before the students' tasks
(:func:`nncourse.grade.references.reference_files`) and added to the
template's ``probes/``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from nncourse import specs
from nncourse.grade.options import GradeOptions
from nncourse.late import LatePolicy, due_dates
from nncourse.release import generate_in

GRADEBOOK = "gradebook.db"
#: The template's folder of the solution's outcomes on this run's inputs.
PROBES = "probes"


@dataclass(frozen=True)
class Template:
    """The files of the template course, and what they grade like."""

    files: dict[str, bytes]  # relative path -> content
    fingerprint: str  # changes whenever a grade could
    #: The chapters whose solution's outcomes (``probes/``) the run needs.
    judged: tuple[str, ...] = ()

    def write(self, folder: Path) -> None:
        for name, content in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def fingerprint(files: dict[str, bytes], inputs: dict) -> str:
    """What the grading of a notebook depends on besides the notebook: the
    course's sources and releases, the limits, the specs."""
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode())
    for name, content in sorted(files.items()):
        # The gradebook holds timestamps, its content is the sources'; the
        # probes' outcomes are this run's (a resumed result was judged on
        # the inputs of its own run).
        if name != GRADEBOOK and not name.startswith(PROBES + "/"):
            digest.update(name.encode() + b"\0" + content)
    return digest.hexdigest()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def prepare(options: GradeOptions, tmp: Path, handed_in: Collection[str]) -> Template:
    """Release every chapter into a template course and the real gradebook;
    the solution's outcomes are to be computed only for the chapters
    ``handed_in`` (the others have nothing to judge: a class that hands in
    one chapter does not wait for the references of nine)."""
    template = tmp / "template"
    judged = {}
    for chapter in options.chapters:
        generate_in(template, chapter, options.course)
        generate_in(tmp / "real", chapter, options.course, options.db_url)
        spec = options.course.spec(chapter)
        if specs.load(spec):
            judged[chapter] = spec.read_bytes()
    # nbgrader measures lateness from the due dates in the gradebooks.
    policy = LatePolicy(config=options.config)
    for db_url in (f"sqlite:///{template / GRADEBOOK}", options.db_url):
        due_dates(policy, db_url, options.chapters)
    files = {
        name: content
        for name, content in _files(template).items()
        if name.startswith(("solutions/", "notebooks/")) or name == GRADEBOOK
    }
    specs_text = {f"specs/{ch}": text.decode() for ch, text in judged.items()}
    inputs = {**options.grading_inputs(), **specs_text}
    needed = tuple(chapter for chapter in judged if chapter in handed_in)
    return Template(files, fingerprint(files, inputs), needed)
