"""collect(): the submissions of a class from folders, zips and LMS names."""

from __future__ import annotations

import os
import zipfile

import pytest

from nncourse.grade import archive
from nncourse.grade.collect import (
    MAX_NOTEBOOK_BYTES,
    check_ids,
    collect,
    file_name,
    id_problems,
    student_id,
    unpack,
)

CHAPTER = "01-modules"
DECOMPOSED, COMPOSED = "e\u0301", "\u00e9"  # one letter, two Unicode forms


def test_both_layouts_timestamps_and_extra_files(tmp_path):
    (tmp_path / "ann" / CHAPTER).mkdir(parents=True)
    (tmp_path / "ann" / CHAPTER / f"{CHAPTER}.ipynb").write_text("nested")
    (tmp_path / "ann" / CHAPTER / "timestamp.txt").write_text("2026-11-20 10:00\n")
    (tmp_path / "ann" / CHAPTER / "submission_secret.txt").write_text("c0ffee")
    (tmp_path / "ann" / "notes.txt").write_text("x")
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / f"{CHAPTER}.ipynb").write_text("flat")
    (tmp_path / "eve").mkdir()
    collected = collect(tmp_path, [CHAPTER, "02-layers"])
    found = collected.students
    assert sorted(found) == ["ann", "bob", "eve"]
    ann = found["ann"][CHAPTER]
    assert (ann.notebook, ann.timestamp, ann.extra, ann.secret) == (
        b"nested",
        "2026-11-20 10:00",
        ["notes.txt"],
        "c0ffee",  # nbgrader exchange's receipt, kept as it is
    )
    assert found["bob"][CHAPTER].notebook == b"flat"
    assert found["bob"][CHAPTER].secret is None
    assert found["bob"]["02-layers"].notebook is None
    assert found["eve"][CHAPTER].notebook is None
    assert collected.ignored == [
        ("ann/notes.txt", "not a chapter's notebook (named on its page)")
    ]


def test_a_wrapping_folder_is_descended(tmp_path):
    student = tmp_path / "submitted" / "ann"
    student.mkdir(parents=True)
    (student / f"{CHAPTER}.ipynb").write_text("{}")
    assert list(collect(tmp_path, [CHAPTER]).students) == ["ann"]


def test_links_and_huge_files_are_not_read(tmp_path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / f"{CHAPTER}.ipynb").symlink_to("/etc/passwd")
    (tmp_path / "bob").mkdir()
    with open(tmp_path / "bob" / f"{CHAPTER}.ipynb", "wb") as handle:
        handle.truncate(MAX_NOTEBOOK_BYTES + 1)
    found = collect(tmp_path, [CHAPTER]).students
    assert found["ann"][CHAPTER].notebook == b""
    assert "symbolic link" in found["ann"][CHAPTER].problem
    assert "over the limit of 50 MB" in found["bob"][CHAPTER].problem


@pytest.mark.parametrize(
    "raw", [b"caf\xe9", b"caf\xe8", b"caf\\xe9", b"caf\xc3\xa9", b"a\\\\b\xff"]
)
def test_names_are_kept_exactly_and_read_back(raw):
    """Bytes that are not UTF-8 are escaped, not replaced: two names that
    differ only there stay two students, and the name can be read back."""
    name = os.fsdecode(raw)
    assert file_name(student_id(name)) == name
    assert student_id(os.fsdecode(b"caf\xc3\xa9")) == "caf\u00e9"  # UTF-8 stays


def test_two_names_never_become_one_id():
    names = [b"caf\xe9", b"caf\xe8", b"caf\\xe9", b"caf\xc3\xa9", b"caf\\\\xe9"]
    ids = {student_id(os.fsdecode(raw)) for raw in names}
    assert len(ids) == len(names)


def test_ids_that_cannot_be_graded_apart_stop_the_run_with_a_list():
    assert id_problems(["ann", "bob", "caf\\xe9"]) == []
    problems = id_problems(["..", ".", "", "a/b", "Ann", "ann", DECOMPOSED, COMPOSED])
    assert problems == [
        "'..' cannot be a folder's name",
        "'.' cannot be a folder's name",
        "'' cannot be a folder's name",
        "'a/b' cannot be a folder's name",
        "'Ann' and 'ann' differ only in case or Unicode form",
        repr(DECOMPOSED)
        + " and "
        + repr(COMPOSED)
        + " differ only in case or Unicode form",
    ]
    collected = collect_of({"Ann": "{}", "ann": "{}"})
    with pytest.raises(SystemExit, match="nothing was graded") as stop:
        check_ids(collected)
    assert "'Ann' and 'ann'" in str(stop.value)


def collect_of(students: dict[str, str]):
    from nncourse.grade.collect import Collected, Submission

    return Collected(
        {
            s: {CHAPTER: Submission(s, CHAPTER, text.encode())}
            for s, text in students.items()
        }
    )


def test_lms_file_names(tmp_path):
    """Canvas and Moodle name files by student; the last resubmission wins."""
    names = {
        "doejane_123_456_01-modules.ipynb": "jane's",
        "roe_late_124_457_01-modules.ipynb": "first",
        "roe_late_124_457_01-modules-1.ipynb": "second",
        "Max Moe_125_assignsubmission_file_01-modules.ipynb": "max's",
        "doejane_123_456_notes.txt": "ignored",
        "doejane_123_456_02-layers.ipynb": "not asked for",
    }
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for name, content in names.items():
            handle.writestr(f"submissions/{name}", content)
    unpacked = unpack(archive, tmp_path / "unpacked")
    collected = collect(unpacked.folder, [CHAPTER])
    found = collected.students
    assert sorted(found) == ["Max Moe_125", "doejane_123", "roe_124"]
    notebooks = {student: found[student][CHAPTER].notebook for student in found}
    assert notebooks == {
        "doejane_123": b"jane's",
        "roe_124": b"second",
        "Max Moe_125": b"max's",
    }
    assert sorted(why for _, why in collected.ignored) == [
        "an earlier attempt",
        "its name names no student",
        "not a graded chapter",
    ]
    # Another LMS: nbgrader's zip_collect convention, with --pattern.
    other = tmp_path / "other"
    other.mkdir()
    (other / "01-modules--s1234--attempt-2.ipynb").write_text("{}")
    pattern = r"(?P<file_id>[^/]+?)--s(?P<student_id>\d+)--attempt-\d+\.ipynb"
    found = collect(other, [CHAPTER], pattern).students
    assert list(found) == ["1234"] and found["1234"][CHAPTER].notebook == b"{}"


def test_two_lms_users_of_one_name_stay_two_students(tmp_path):
    """Canvas names files by login and numbers its users: same login (two
    Jane Does), two user ids, two students; nothing is dropped."""
    (tmp_path / "doejane_123_456_01-modules.ipynb").write_text("first jane")
    (tmp_path / "doejane_999_457_01-modules.ipynb").write_text("second jane")
    (tmp_path / "doejane_late_999_458_01-modules.ipynb").write_text("late")
    (tmp_path / "roejim_LATE_777_459_01-modules.ipynb").write_text("LATE")
    found = collect(tmp_path, [CHAPTER]).students
    assert {s: found[s][CHAPTER].notebook for s in found} == {
        "doejane_123": b"first jane",
        "doejane_999": b"late",  # "late" is no attempt number: the later name
        "roejim_777": b"LATE",  # today's Canvas writes it in capitals
    }


def zip_of(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as handle:
        for name, content in members.items():
            handle.writestr(name, content)
    return path


def test_a_zip_bomb_is_refused_and_its_student_told(tmp_path):
    """A member that expands a thousandfold is not written; its student's
    notebook is refused with the reason, the others are graded."""
    bomb = b"{" + b" " * (20 * 1024**2) + b"}"  # 20 MB of spaces: ~20 kB zipped
    archive_path = zip_of(
        tmp_path / "class.zip",
        {"ann/01-modules.ipynb": b"{}", "eve/01-modules.ipynb": bomb},
    )
    unpacked = unpack(archive_path, tmp_path / "out")
    assert (unpacked.folder / "eve" / "01-modules.ipynb").stat().st_size == 0
    found = collect(unpacked.folder, [CHAPTER], refused=unpacked.refused).students
    assert found["ann"][CHAPTER].notebook == b"{}"
    eve = found["eve"][CHAPTER]
    assert eve.notebook == b"" and "was refused" in eve.problem
    assert "fold" in eve.problem and "zip bomb" in eve.problem


def test_a_member_that_lies_about_its_size_is_cut_off(tmp_path, monkeypatch):
    archive_path = zip_of(tmp_path / "class.zip", {"ann/01-modules.ipynb": b"x" * 5000})
    real = archive.zipfile.ZipFile.infolist

    def understated(self):
        members = real(self)
        for member in members:
            member.file_size = 100  # what a forged header would claim
        return members

    monkeypatch.setattr(archive.zipfile.ZipFile, "infolist", understated)
    unpacked = unpack(archive_path, tmp_path / "out")
    written = unpacked.folder / "ann" / "01-modules.ipynb"
    assert written.stat().st_size == 0
    assert unpacked.refused[written].startswith("it is damaged in the zip")


def test_a_zip_over_the_class_limits_stops_before_grading(tmp_path, monkeypatch):
    archive_path = zip_of(
        tmp_path / "class.zip", {f"s{i}/x.txt": b"" for i in range(5)}
    )
    monkeypatch.setattr(archive, "MAX_MEMBERS", 4)
    with pytest.raises(SystemExit, match="5 files, over the limit of 4"):
        unpack(archive_path, tmp_path / "out")
    monkeypatch.setattr(archive, "MAX_MEMBERS", 10)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", -1)
    with pytest.raises(SystemExit, match="nothing was graded"):
        unpack(archive_path, tmp_path / "out")


def test_a_zip_cannot_write_outside_its_folder(tmp_path):
    archive_path = zip_of(
        tmp_path / "class.zip",
        {"../evil.ipynb": b"x", "/abs.ipynb": b"x", "ann/01-modules.ipynb": b"{}"},
    )
    unpacked = unpack(archive_path, tmp_path / "out")
    assert not (tmp_path / "evil.ipynb").exists()
    written = [p.name for p in unpacked.folder.rglob("*") if p.is_file()]
    assert written == ["01-modules.ipynb"]
    assert unpacked.skipped == ["../evil.ipynb", "/abs.ipynb"]


def test_an_lms_time_in_the_file_name_is_the_submission_time(tmp_path):
    """A pattern with a timestamp group: the latest attempt is graded, and its
    time is what the late-work policy measures."""
    (tmp_path / "s1--2027-01-26T10:00:00Z--01-modules.ipynb").write_text("late")
    (tmp_path / "s1--2027-01-24T10:00:00Z--01-modules.ipynb").write_text("early")
    pattern = (
        r"(?P<student_id>[^/-]+)--(?P<timestamp>[^/]+?)--(?P<file_id>01-modules)"
        r"\.ipynb"
    )
    found = collect(tmp_path, [CHAPTER], pattern).students["s1"][CHAPTER]
    assert (found.notebook, found.timestamp) == (b"late", "2027-01-26T10:00:00Z")
