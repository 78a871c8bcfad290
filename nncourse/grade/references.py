"""Step 4, first: the solution's outcomes on this run's inputs.

For every chapter with specs that the run grades (``Template.judged``), one
Dask task runs the solution notebook with the probes inserted
(:func:`~nncourse.preprocessors.probes.reference_outcomes`) and returns the
outcomes' file; the coordinator adds them to the template's ``probes/``
before the students' tasks start, so every student is judged against the
same outcomes. The task runs in the sandbox the worker keeps for its
students (:mod:`nncourse.grade.pool`, reset before every kernel, as between
two students), so a run starts no sandbox of its own for the references:
one import of torch and the rest fewer per worker and per run.
"""

from __future__ import annotations

import dataclasses

from nncourse import specs
from nncourse.grade.collect import Submission
from nncourse.grade.options import GradeOptions
from nncourse.grade.prepare import PROBES, Template
from nncourse.grade.worker import private_course
from nncourse.preprocessors.probes import reference_outcomes


def reference_files(
    chapter: str, template: Template, options: GradeOptions, sandbox_notebooks: int
) -> dict[str, bytes]:
    """On a worker: the template's files of the solution's outcomes for
    ``chapter``, computed in the worker's sandbox (the one its students'
    ``sandbox_notebooks`` notebooks will use)."""
    with private_course(template, options, sandbox_notebooks) as (course, _, box):
        reference_outcomes(
            course / "solutions" / chapter / f"{chapter}.ipynb",
            specs.load(options.course.spec(chapter)),
            options.probe_seed,
            course / PROBES,
            box,
        )
        return {
            str(path.relative_to(course)): path.read_bytes()
            for path in sorted((course / PROBES).glob("*"))
        }


def with_references(
    client,
    template: Template,
    options: GradeOptions,
    jobs: dict[str, list[Submission]],
    sandbox_notebooks: int,
) -> Template:
    """The template with the solution's outcomes of each judged chapter that
    ``jobs`` grade, computed on the cluster's workers; an error in one is
    raised here, and the run stops before any student is graded."""
    graded = {submission.chapter for chosen in jobs.values() for submission in chosen}
    futures = [
        client.submit(
            reference_files, chapter, template, options, sandbox_notebooks, pure=False
        )
        for chapter in template.judged
        if chapter in graded
    ]
    files = dict(template.files)
    for found in client.gather(futures):
        files.update(found)
    return dataclasses.replace(template, files=files)
