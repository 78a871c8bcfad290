"""``nncourse export ... --feedback-zip``: a chapter's feedback pages in one
zip whose names the LMS's bulk upload reads back (each reader below is the
LMS's own, ported line for line; sources in tests/fixtures/lms/README.md),
by the LMS's number, never by name; nothing escapes the zip's folder."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from nncourse import cli, lms_feedback
from tests.unit.test_lms import FIXTURES, MOODLE, write_grades

CHAPTER = "01-modules"
CANVAS_DOWNLOAD = (FIXTURES / "canvas-submissions.txt").read_text().split()


def pages(root: Path, students: list[str], chapter: str = CHAPTER) -> Path:
    """``OUT/feedback`` as ``nncourse grade`` writes it; each page says whose."""
    for student in students:
        page = root / student / chapter / f"{chapter}.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<p>feedback of {student}</p>")
    return root


def members(package: lms_feedback.Package) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package.data())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def moodle_reads(path: str) -> tuple[int, str, str] | None:
    """Moodle's importziplib.php ``is_valid_filename_for_import``: the first
    folder that splits at ``_`` (at most 5 parts) into name, numeric
    participant id, plugin type and name; what follows is the file."""
    parts = path.split("/")
    while parts:
        info = parts.pop(0).split("_", 4)
        if len(info) < 4 or not info[1].isdigit():
            continue
        if len(info) == 4:
            info.append("")
        return int(info[1]), f"{info[2]}_{info[3]}", "/".join([info[4], *parts])
    return None


def worksheet(full_name: str) -> str:
    """Moodle's worksheet with one participant, 12345, of this full name."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Identifier", "Full name", "Email address", "Grade"])
    writer.writerow(["Participant 12345", full_name, "x@example.edu", ""])
    return out.getvalue()


def canvas_reads(name: str) -> tuple[str, str] | None:
    """Canvas's ``infer_comment_context_from_filename``: the base name split
    at ``_`` without ``LATE``; ``anon`` first is anonymous; else the first two
    numbers are the user id and the submitted file's id."""
    split = [t for t in name.rsplit("/", 1)[-1].split("_") if t != "LATE"]
    if split[0] == "anon":
        return None
    numbers = [t for t in split if re.fullmatch(r"\d+", t)]
    return (numbers[0], numbers[1]) if len(numbers) >= 2 else None


def test_moodle_folders_are_named_as_moodle_downloads_them(tmp_path):
    students = ["Jane Doe_12345", "Jane Doe_23456", "Sam Poe_55555", "alice"]
    found = lms_feedback.read_pages(pages(tmp_path, students), CHAPTER)
    package = lms_feedback.moodle(found, MOODLE)
    written = members(package)
    assert sorted(written) == [
        "Jane Doe_12345_assignsubmission_file_/01-modules.html",
        "Jane Doe_23456_assignsubmission_file_/01-modules.html",
    ]
    for name, content in written.items():
        participant, plugin, file = moodle_reads(name)
        assert plugin == "assignsubmission_file" and file == "/01-modules.html"
        page = tmp_path / f"Jane Doe_{participant}" / CHAPTER / f"{CHAPTER}.html"
        assert content == page.read_bytes()
    assert package.only_lms == ["34567"] and package.only_pages == ["55555"]
    assert package.unnumbered == ["alice"]
    text = lms_feedback.report(package, tmp_path / "feedback.zip")
    assert "2 feedback page(s) of 01-modules" in text
    assert "no student in the LMS's file (not packaged): 55555" in text
    assert "but no page (nothing to send): 34567" in text
    assert "no LMS number, not packaged: alice" in text


def test_canvas_files_carry_the_downloads_user_and_file_ids(tmp_path):
    students = ["doejane_12345", "doejane_23456", "poesam_55555"]
    found = lms_feedback.read_pages(pages(tmp_path, students), CHAPTER)
    package = lms_feedback.canvas(found, CANVAS_DOWNLOAD)
    written = members(package)
    # The late one keeps LATE; its resubmission (-1) is the file graded.
    assert sorted(written) == [
        "doejane_12345_67890_01-modules.html",
        "doejane_LATE_23456_67892_01-modules.html",
    ]
    read_back = {canvas_reads(name): content for name, content in written.items()}
    assert read_back == {
        ("12345", "67890"): b"<p>feedback of doejane_12345</p>",
        ("23456", "67892"): b"<p>feedback of doejane_23456</p>",
    }
    assert package.only_lms == ["34567"] and package.only_pages == ["55555"]
    assert package.skipped == [
        "roerichard_34567_67894_notes.txt (not a chapter's notebook)",
        "doejane_12345_67895_02-layers.ipynb (a file of 02-layers)",
        "anon_x8k2p_67896_01-modules.ipynb (anonymous, or not a name Canvas gave)",
    ]


def test_one_number_claimed_by_two_students_is_listed_not_guessed(tmp_path):
    students = ["doejane_12345", "janedoe_12345", "doejane_23456"]
    found = lms_feedback.read_pages(pages(tmp_path, students), CHAPTER)
    package = lms_feedback.canvas(found, CANVAS_DOWNLOAD)
    assert list(members(package)) == ["doejane_LATE_23456_67892_01-modules.html"]
    assert package.ambiguous == ["12345: doejane_12345, janedoe_12345"]
    assert package.only_lms == ["12345", "34567"]


@pytest.mark.parametrize(
    "full_name", ["../../etc/passwd", "a/b\\c", "..", "_9_x", "\x00&<>|:"]
)
def test_a_hostile_full_name_stays_one_folder_and_keeps_its_number(tmp_path, full_name):
    found = lms_feedback.read_pages(pages(tmp_path / "fb", ["x_12345"]), CHAPTER)
    written = members(lms_feedback.moodle(found, worksheet(full_name)))
    (name,) = written
    folder, file = name.split("/")
    assert file == "01-modules.html" and ".." not in folder and "\\" not in folder
    # "_9_x" unchanged would be read as participant 9.
    assert moodle_reads(name)[:2] == (12345, "assignsubmission_file")
    extract_inside(tmp_path, written)


def test_hostile_download_names_and_student_ids_cannot_escape(tmp_path):
    students = ["..\\..\\doe_12345", "...._23456", "anon_34567", "x_45678"]
    download = [
        "../../evil_12345_1_01-modules.ipynb",
        "..\\..\\x_LATE_23456_2_01-modules.ipynb",
        "anon_34567_3_01-modules.ipynb",  # Canvas reads it as anonymous
        "1-2_45678_5_01-modules.ipynb",  # "12_45678_5" would be user 12
    ]
    submissions = tmp_path / "download.zip"
    with zipfile.ZipFile(submissions, "w") as archive:
        for name in download:
            archive.writestr(name, b"never read")
    names = lms_feedback.download_names(submissions)
    found = lms_feedback.read_pages(pages(tmp_path / "fb", students), CHAPTER)
    package = lms_feedback.canvas(found, names)
    written = members(package)
    assert sorted(written) == [
        "evil_12345_1_01-modules.html",
        "student_45678_5_01-modules.html",
        "x_LATE_23456_2_01-modules.html",
    ]
    for name, content in written.items():
        user, _ = canvas_reads(name)
        assert content.endswith(f"_{user}</p>".encode())
    assert package.only_pages == ["34567"]
    extract_inside(tmp_path, written)
    login = lms_feedback.CanvasFile("../../e/vil", False, "1", "2", CHAPTER, 0)
    assert login.member(CHAPTER) == "evil_1_2_01-modules.html"
    with pytest.raises(AssertionError, match="unsafe"):
        lms_feedback.safe_member("../x.html")


def extract_inside(tmp_path: Path, written: dict[str, bytes]) -> None:
    """Every member, unpacked, lands inside the folder it is unpacked into."""
    into = (tmp_path / "unpacked").resolve()
    for name in written:
        assert (into / name).resolve().is_relative_to(into), name
        assert not name.startswith("/") and "\\" not in name


def test_the_command_writes_both_files_and_names_a_missing_folder(tmp_path, capsys):
    grades = write_grades(tmp_path / "grades.csv")
    worksheet = ["--gradebook", str(FIXTURES / "moodle-worksheet.csv")]
    common = [*worksheet, "--grades", str(grades), "--out", str(tmp_path / "up.csv")]
    zipped = tmp_path / "feedback.zip"
    argv = [
        "export",
        "moodle",
        *common,
        "--chapter",
        "01",
        "--feedback-zip",
        str(zipped),
    ]
    assert cli.main(argv) == 2  # no feedback/ beside grades.csv
    said = capsys.readouterr().out
    assert f"no feedback folder at {tmp_path / 'feedback'}" in said
    assert "--feedback OUT/feedback" in said
    assert not zipped.exists() and not (tmp_path / "up.csv").exists()
    pages(tmp_path / "feedback", ["Jane Doe_12345"])
    assert cli.main(argv) == 0
    with zipfile.ZipFile(zipped) as archive:
        assert archive.namelist() == [
            "Jane Doe_12345_assignsubmission_file_/01-modules.html"
        ]
    assert "Participant 12345" in (tmp_path / "up.csv").read_text()


def test_canvas_needs_the_download_and_one_chapter(tmp_path, capsys):
    grades = write_grades(tmp_path / "grades.csv")
    pages(tmp_path / "feedback", ["doejane_12345"])
    download = tmp_path / "submissions"
    download.mkdir()
    for name in CANVAS_DOWNLOAD:
        (download / name).write_text("never read")
    zipped = tmp_path / "feedback.zip"
    argv = [
        "export",
        "canvas",
        *["--gradebook", str(FIXTURES / "canvas-gradebook.csv")],
        *["--grades", str(grades), "--out", str(tmp_path / "up.csv")],
        *["--feedback-zip", str(zipped)],
    ]
    assert cli.main(argv) == 2
    assert "--submissions" in capsys.readouterr().out
    assert cli.main([*argv, "--submissions", str(download)]) == 2  # which chapter?
    assert "--chapter NN" in capsys.readouterr().out
    assert cli.main([*argv, "--submissions", str(download), "--chapter", "01"]) == 0
    with zipfile.ZipFile(zipped) as archive:
        assert archive.namelist() == ["doejane_12345_67890_01-modules.html"]
    overwrite = [*argv[:-1], str(grades), "--submissions", str(download)]
    assert cli.main([*overwrite, "--chapter", "01"]) == 2  # --feedback-zip grades.csv
    assert "must not overwrite" in capsys.readouterr().out
