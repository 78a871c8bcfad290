"""A grading run starts only what its class needs: no more local workers than
students, and the solution's outcomes only for the chapters handed in."""

from __future__ import annotations

import importlib
import shutil

from nncourse.course import Course
from nncourse.grade.cluster import local_workers
from nncourse.grade.collect import LMS_PATTERN, collect_class
from nncourse.grade.options import GradeOptions
from tests.conftest import REPO

prepare = importlib.import_module("nncourse.grade.prepare")
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


def test_references_only_for_the_chapters_handed_in(tmp_path, monkeypatch):
    options = GradeOptions.create(
        tmp_path,
        tmp_path / "out",
        course=Course(REPO),
        chapters=CHAPTERS[:2],
        db_url=f"sqlite:///{tmp_path / 'gradebook.db'}",
    )
    judged = []
    monkeypatch.setattr(
        prepare, "run_references", lambda template, chosen, _: judged.append(chosen)
    )
    template = prepare.prepare(options, tmp_path / "run", {"01-modules", "04-loss"})
    assert judged == [["01-modules"]]
    # every chosen chapter is still released: a student who handed nothing in
    # gets a row for each
    released = {name.split("/")[1] for name in template.files if "/" in name}
    assert set(CHAPTERS[:2]) <= released
