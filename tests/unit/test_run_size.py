"""A grading run starts only what its class needs: no more local workers than
students, and the solution's outcomes only for the chapters handed in."""

from __future__ import annotations

import importlib
import shutil

from nncourse.course import Course
from nncourse.grade.cluster import local_workers
from nncourse.grade.collect import LMS_PATTERN, Submission, collect_class
from nncourse.grade.options import GradeOptions
from tests.conftest import REPO

prepare = importlib.import_module("nncourse.grade.prepare")
references = importlib.import_module("nncourse.grade.references")
CHAPTERS = ["00-tensors", "01-modules", "02-layers"]


def test_no_more_local_workers_than_students(tmp_path):
    options = GradeOptions.create(tmp_path, tmp_path / "out", workers=3)
    assert [local_workers(options, students) for students in (1, 2, 3, 9)] == [
        1, 2, 3, 3,
    ]  # fmt: skip


def test_a_chapter_is_handed_in_when_one_student_hands_it_in(tmp_path):
    for student, chapter in [("alice", "01-modules"), ("bob", "00-tensors")]:
        (tmp_path / "in" / student).mkdir(parents=True)
        release = REPO / "notebooks" / chapter / f"{chapter}.ipynb"
        shutil.copy(release, tmp_path / "in" / student / release.name)
    collected = collect_class(tmp_path / "in", tmp_path / "out", CHAPTERS, LMS_PATTERN)
    # every student has a (mostly empty) submission for every chapter
    assert {len(by_chapter) for by_chapter in collected.students.values()} == {3}
    assert collected.chapters_handed_in() == {"00-tensors", "01-modules"}


def test_references_only_for_the_chapters_handed_in(tmp_path):
    options = GradeOptions.create(
        tmp_path,
        tmp_path / "out",
        course=Course(REPO),
        chapters=CHAPTERS[:2],
        db_url=f"sqlite:///{tmp_path / 'gradebook.db'}",
    )
    template = prepare.prepare(options, tmp_path / "run", {"01-modules", "04-loss"})
    assert template.judged == ("01-modules",)
    # every chosen chapter is still released: a student who handed nothing in
    # gets a row for each
    released = {name.split("/")[1] for name in template.files if "/" in name}
    assert set(CHAPTERS[:2]) <= released


class InlineClient:
    """The two calls of Dask's client that ``with_references`` makes, run
    here, with what they were asked."""

    def __init__(self):
        self.submitted = []

    def submit(self, function, *arguments, pure):
        self.submitted.append(arguments[0])
        return function(*arguments)

    def gather(self, futures):
        return futures


def test_the_references_of_chapters_left_to_grade_join_the_template(
    tmp_path, monkeypatch
):
    """Only a judged chapter that a job grades costs a solution's run, and
    its outcomes are added to the template without changing what a stored
    result is keyed by."""
    monkeypatch.setattr(
        references,
        "reference_files",
        lambda chapter, *_: {f"probes/{chapter}.probes": chapter.encode()},
    )
    template = prepare.Template(
        {"notebooks/a": b"x"}, "print", ("01-modules", "02-layers")
    )
    jobs = {"ann": [Submission("ann", "01-modules", b"{}")]}
    client = InlineClient()
    made = references.with_references(client, template, None, jobs, 1)
    assert client.submitted == ["01-modules"]
    assert made.files == {**template.files, "probes/01-modules.probes": b"01-modules"}
    assert made.fingerprint == template.fingerprint
