"""collect(): the submissions of a class from folders, zips and LMS names."""

from __future__ import annotations

import os
import zipfile

from nncourse.grade.collect import MAX_NOTEBOOK_BYTES, collect, printable, unpack

CHAPTER = "01-modules"


def test_both_layouts_timestamps_and_extra_files(tmp_path):
    (tmp_path / "ann" / CHAPTER).mkdir(parents=True)
    (tmp_path / "ann" / CHAPTER / f"{CHAPTER}.ipynb").write_text("nested")
    (tmp_path / "ann" / CHAPTER / "timestamp.txt").write_text("2026-11-20 10:00\n")
    (tmp_path / "ann" / "notes.txt").write_text("x")
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / f"{CHAPTER}.ipynb").write_text("flat")
    (tmp_path / "eve").mkdir()
    found = collect(tmp_path, [CHAPTER, "02-layers"])
    assert sorted(found) == ["ann", "bob", "eve"]
    ann = found["ann"][CHAPTER]
    assert (ann.notebook, ann.timestamp, ann.extra) == (
        b"nested",
        "2026-11-20 10:00",
        ["notes.txt"],
    )
    assert found["bob"][CHAPTER].notebook == b"flat"
    assert found["bob"]["02-layers"].notebook is None
    assert found["eve"][CHAPTER].notebook is None


def test_a_wrapping_folder_is_descended(tmp_path):
    student = tmp_path / "submitted" / "ann"
    student.mkdir(parents=True)
    (student / f"{CHAPTER}.ipynb").write_text("{}")
    assert list(collect(tmp_path, [CHAPTER])) == ["ann"]


def test_links_and_huge_files_are_not_read(tmp_path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / f"{CHAPTER}.ipynb").symlink_to("/etc/passwd")
    (tmp_path / "bob").mkdir()
    with open(tmp_path / "bob" / f"{CHAPTER}.ipynb", "wb") as handle:
        handle.truncate(MAX_NOTEBOOK_BYTES + 1)
    found = collect(tmp_path, [CHAPTER])
    assert found["ann"][CHAPTER].notebook == b""
    assert "symbolic link" in found["ann"][CHAPTER].problem
    assert "over the limit of 50 MB" in found["bob"][CHAPTER].problem


def test_names_that_are_not_utf8_become_printable():
    assert printable(os.fsdecode(b"caf\xe9")) == "caf\ufffd"


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
    folder = unpack(archive, tmp_path / "unpacked")
    found = collect(folder, [CHAPTER])
    assert sorted(found) == ["Max Moe", "doejane", "roe"]
    notebooks = {student: found[student][CHAPTER].notebook for student in found}
    assert notebooks == {"doejane": b"jane's", "roe": b"second", "Max Moe": b"max's"}
    # Another LMS: nbgrader's zip_collect convention, with --pattern.
    other = tmp_path / "other"
    other.mkdir()
    (other / "01-modules--s1234--attempt-2.ipynb").write_text("{}")
    pattern = r"(?P<file_id>[^/]+?)--s(?P<student_id>\d+)--attempt-\d+\.ipynb"
    found = collect(other, [CHAPTER], pattern)
    assert list(found) == ["1234"] and found["1234"][CHAPTER].notebook == b"{}"
