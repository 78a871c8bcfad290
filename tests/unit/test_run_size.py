"""A grading run starts only what its class needs: no more local workers than
students, and the solution's outcomes only for the chapters handed in."""

from __future__ import annotations

import importlib

from nncourse.course import Course
from nncourse.grade.cluster import local_workers
from nncourse.grade.options import GradeOptions
from tests.conftest import REPO

prepare = importlib.import_module("nncourse.grade.prepare")


def test_no_more_local_workers_than_students(tmp_path):
    options = GradeOptions.create(tmp_path, tmp_path / "out", workers=3)
    assert [local_workers(options, students) for students in (0, 1, 2, 3, 9)] == [
        1, 1, 2, 3, 3,
    ]  # fmt: skip


def test_references_only_for_the_chapters_handed_in(tmp_path, monkeypatch):
    chapters = ["00-tensors", "01-modules"]
    options = GradeOptions.create(
        tmp_path,
        tmp_path / "out",
        course=Course(REPO),
        chapters=chapters,
        db_url=f"sqlite:///{tmp_path / 'gradebook.db'}",
    )
    judged = []
    monkeypatch.setattr(
        prepare, "run_references", lambda template, chosen, _: judged.append(chosen)
    )
    template = prepare.prepare(options, tmp_path / "run", {"01-modules", "03-loss"})
    assert judged == [["01-modules"]]
    # every chapter is still released: a student who handed nothing in gets
    # a row for each chapter, and the fingerprint does not depend on who did
    released = {name.split("/")[1] for name in template.files if "/" in name}
    assert set(chapters) <= released
    again = prepare.prepare(options, tmp_path / "again", {"00-tensors"})
    assert again.fingerprint == template.fingerprint
