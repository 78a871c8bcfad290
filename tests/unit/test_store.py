"""The resume store: keys, atomic writes, saved results."""

from __future__ import annotations

from nncourse.grade.collect import Submission
from nncourse.grade.results import Result, Status
from nncourse.grade.store import ResultStore, keep_receipts, key

CHAPTER = "01-modules"


def submission(**changes) -> Submission:
    fields = {"student": "ann", "chapter": CHAPTER, "notebook": b"{}", **changes}
    return Submission(**fields)


def test_the_key_changes_with_what_the_grade_depends_on():
    first = key(submission(), "course")
    assert key(submission(), "course") == first
    assert key(submission(), "other course or limits") != first
    assert key(submission(notebook=b"{ }"), "course") != first
    assert key(submission(timestamp="2026-11-20"), "course") != first
    assert key(submission(notebook=None), "course") != key(
        submission(notebook=b""), "course"
    )


def test_a_kept_result_loads_again_under_its_key_only(tmp_path):
    store = ResultStore(tmp_path)
    result = Result(
        Status.TIMEOUT, "slow", b'{"cells": []}', b"<html>", "2026-11-20", "a log"
    )
    store.keep("ann", CHAPTER, result, "k1")
    page = tmp_path / "feedback" / "ann" / CHAPTER / f"{CHAPTER}.html"
    assert page.read_bytes() == b"<html>"
    assert (tmp_path / "logs" / "ann" / f"{CHAPTER}.log").read_text() == "a log"
    assert not list(tmp_path.rglob("*.partial"))
    loaded = store.load("ann", CHAPTER, "k1")
    assert loaded == Result(
        Status.TIMEOUT, "slow", b'{"cells": []}', None, "2026-11-20", "a log"
    )
    assert store.load("ann", CHAPTER, "k2") is None
    assert store.load("bob", CHAPTER, "k1") is None


def test_a_result_without_its_notebook_file_is_graded_again(tmp_path):
    store = ResultStore(tmp_path)
    store.keep("ann", CHAPTER, Result(Status.OK, notebook=b"{}"), "k")
    (tmp_path / "executed" / "ann" / CHAPTER / f"{CHAPTER}.ipynb").unlink()
    assert store.load("ann", CHAPTER, "k") is None
    store.keep("bob", CHAPTER, Result(Status.MISSING, "none"), "k")
    assert store.load("bob", CHAPTER, "k") == Result(Status.MISSING, "none")


def test_a_flagged_result_is_graded_again_once_accepted(tmp_path):
    from nncourse.grade import GradeOptions, plan
    from nncourse.grade.prepare import Template

    store = ResultStore(tmp_path)
    template = Template({}, "course")
    found = {name: {CHAPTER: submission(student=name)} for name in ("ann", "bob")}
    for name in ("ann", "bob"):
        flagged = Result(Status.FLAGGED, "The notebook uses ...")
        store.keep(name, CHAPTER, flagged, key(found[name][CHAPTER], "course"))
    options = GradeOptions.create(tmp_path, tmp_path, accept=[f"ann/{CHAPTER}"])
    saved, jobs = plan(found, template, store, options)
    assert list(jobs) == ["ann"]  # accepted: graded again
    assert saved["bob"][CHAPTER].status is Status.FLAGGED  # still flagged


def test_receipts_lie_beside_the_pages_of_exchange_submissions(tmp_path):
    """nbgrader's release_feedback reads timestamp.txt and
    submission_secret.txt beside each page: those of an exchange submission
    are written there; a page without them (an LMS's file) gets none."""
    for student in ("ann", "bob", "eve"):
        page = tmp_path / "feedback" / student / CHAPTER / f"{CHAPTER}.html"
        page.parent.mkdir(parents=True)
        page.write_text("<html>")
    found = {
        "ann": {CHAPTER: submission(timestamp="2026-11-20 10:00", secret="c0ffee")},
        "bob": {CHAPTER: submission(student="bob")},
        "eve": {CHAPTER: submission(student="eve", secret="beef")},
        "joe": {CHAPTER: submission(student="joe", notebook=None, secret="dead")},
    }
    keep_receipts(tmp_path, found)
    ann = tmp_path / "feedback" / "ann" / CHAPTER
    assert (ann / "submission_secret.txt").read_text() == "c0ffee"
    assert (ann / "timestamp.txt").read_text() == "2026-11-20 10:00"
    assert not list((tmp_path / "feedback" / "bob").rglob("*.txt"))
    assert (tmp_path / "feedback" / "eve" / CHAPTER / "timestamp.txt").read_text() == ""
    assert not (tmp_path / "feedback" / "joe").exists()  # no page, no receipt
