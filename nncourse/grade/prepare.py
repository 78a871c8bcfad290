"""Step 2, prepare: the course every worker grades in, and the real gradebook.

Each chapter is released (``generate_assignment``) from ``solutions/`` twice,
both times into a temporary course, so that the committed ``notebooks/`` is
never rewritten: once into a template course with its own gradebook, which
every worker copies, and once into the real gradebook. For a chapter with
specs that the class handed in, the template also gets the solution's
outcomes on this run's inputs
(:func:`~nncourse.preprocessors.probes.reference_outcomes`), computed once
here for every student.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nncourse import specs
from nncourse.grade.kernels import kernel_sandbox
from nncourse.grade.options import GradeOptions
from nncourse.late import LatePolicy, due_dates
from nncourse.preprocessors.probes import reference_outcomes
from nncourse.release import generate_in

GRADEBOOK = "gradebook.db"
#: The template's folder of the solution's outcomes on this run's inputs.
PROBES = "probes"


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


def run_references(template: Path, judged: list[str], options: GradeOptions) -> None:
    """The solution's outcomes on this run's inputs, for each judged chapter,
    into the template: each run in a kernel of its own, as many at once as
    the run has workers. Where the run uses sandboxes, each of those is
    forked in a sandbox of its own as a student's are, so that torch is
    imported once per sandbox, not once per chapter."""

    def run(chapters: list[str]) -> None:
        config = options.config_with(options.limits.sandbox_config())
        with kernel_sandbox(config, options.limits.sandbox, len(chapters)) as box:
            for chapter in chapters:
                source = template / "solutions" / chapter / f"{chapter}.ipynb"
                exercises = specs.load(options.course.spec(chapter))
                reference_outcomes(
                    source, exercises, options.probe_seed, template / PROBES, box
                )

    if not judged:
        return
    count = min(options.workers, len(judged))
    with ThreadPoolExecutor(count) as pool:
        shares = [judged[i::count] for i in range(count)]
        list(pool.map(run, shares))  # list(): an error in one is raised here


def prepare(options: GradeOptions, tmp: Path, handed_in: Collection[str]) -> Template:
    """Release every chapter into a template course and the real gradebook;
    the solution's outcomes only for the chapters ``handed_in`` (the others
    have nothing to judge: a class that hands in one chapter does not wait
    for the references of nine)."""
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
    run_references(template, [ch for ch in judged if ch in handed_in], options)
    files = {
        name: content
        for name, content in _files(template).items()
        if name.startswith(("solutions/", "notebooks/", PROBES + "/"))
        or name == GRADEBOOK
    }
    specs_text = {f"specs/{ch}": text.decode() for ch, text in judged.items()}
    inputs = {**options.grading_inputs(), **specs_text}
    return Template(files, fingerprint(files, inputs))
