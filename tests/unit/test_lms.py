"""``nncourse export``: scores into the LMS's own files (tests/fixtures/lms/,
shaped as Canvas and Moodle document them), by the LMS's number, never by
name; every other cell as it was; students on one side only listed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from nncourse import cli, lms

FIXTURES = Path(__file__).parent.parent / "fixtures" / "lms"
CANVAS = (FIXTURES / "canvas-gradebook.csv").read_bytes().decode("utf-8-sig")
MOODLE = (FIXTURES / "moodle-worksheet.csv").read_text()
FIELDS = ["student_id", "chapter", "cell", "score", "max_score", "status", "message"]


def write_grades(path: Path) -> Path:
    """Two cells a chapter: Jane Doe 12345 has 7 + 5 of 14 in 01, 3 of 10
    in 02; the other Jane Doe (23456) 14 of 14 in 01, and flagged in 02; a
    student graded from a folder has no LMS number; 55555 is not in the LMS."""
    rows = [
        ("doejane_12345", "01-modules", "a", 7, 7),
        ("doejane_12345", "01-modules", "b", 5, 7),
        ("doejane_12345", "02-layers", "a", 3, 10),
        ("doejane_23456", "01-modules", "a", 7, 7),
        ("doejane_23456", "01-modules", "b", 7, 7),
        ("doejane_23456", "02-layers", "a", 0, 10, "flagged"),
        ("alice", "01-modules", "a", 7, 7),
        ("'=1+2_55555", "01-modules", "a", 1, 14),
    ]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for student, chapter, cell, score, most, *status in rows:
            writer.writerow(
                [student, chapter, cell, score, most, *(status or ["ok"]), ""]
            )
    return path


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_canvas_scores_go_by_user_id_and_nothing_else_changes(tmp_path):
    scores = lms.Scores.read(write_grades(tmp_path / "grades.csv"))
    export = lms.canvas(CANVAS, scores, ["01-modules", "02-layers"])
    before, after = table(CANVAS), table(export.text())
    header = after[0]
    assert header[: len(before[0])] == before[0] and header[-1] == "02-layers"
    first, second = header.index("01-modules (4321)"), header.index("02-layers")
    by_id = {row[1]: row for row in after[2:]}
    assert by_id["12345"][first] == "12" and by_id["12345"][second] == "3"
    assert by_id["23456"][first] == "14" and by_id["23456"][second] == "0"
    assert by_id["34567"][first] == "" and by_id["99999"][second] == ""
    assert after[1][first] == "11.00"  # Canvas's points possible kept
    assert after[1][second] == "10"  # a new assignment's, from grades.csv
    for old, new in zip(before, after, strict=True):
        pairs = zip(old, new[: len(old)], strict=True)
        changed = [i for i, (a, b) in enumerate(pairs) if a != b]
        assert set(changed) <= {first}, (old, new)
    assert export.only_in_lms == ["34567", "99999"]
    assert export.only_in_grades == ["55555"]


def test_moodle_grades_are_scaled_to_the_worksheets_maximum(tmp_path):
    scores = lms.Scores.read(write_grades(tmp_path / "grades.csv"))
    export = lms.moodle(MOODLE, scores, "01-modules")
    rows = {row[0]: row for row in table(export.text())[1:]}
    assert rows["Participant 12345"][4] == "85.71"  # 12 of 14, out of 100
    assert rows["Participant 23456"][4] == "100"
    assert rows["Participant 23456"][9] == "See you"  # other columns kept
    assert rows["Participant 34567"][4] == ""
    assert export.only_in_lms == ["34567"] and export.only_in_grades == ["55555"]


def test_the_report_names_every_student_on_one_side_and_every_problem(tmp_path):
    scores = lms.Scores.read(write_grades(tmp_path / "grades.csv"))
    export = lms.canvas(CANVAS, scores, ["01-modules", "02-layers"])
    text = lms.report(export, scores, tmp_path / "upload.csv")
    assert "not in the LMS's file (no score written): 55555" in text
    assert "not graded (left as they were): 34567, 99999" in text
    assert "no LMS number (graded from folders?), not matched: alice" in text
    assert "23456 (02-layers: flagged)" in text


def test_the_command_keeps_the_byte_order_mark_and_refuses_the_wrong_file(
    tmp_path, capsys
):
    grades = write_grades(tmp_path / "grades.csv")
    out = tmp_path / "upload.csv"
    common = ["--grades", str(grades), "--out", str(out)]
    canvas = ["--gradebook", str(FIXTURES / "canvas-gradebook.csv")]
    assert cli.main(["export", "canvas", *canvas, *common]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    moodle = ["--gradebook", str(FIXTURES / "moodle-worksheet.csv")]
    assert cli.main(["export", "canvas", *moodle, *common]) == 2
    assert "no 'ID' column, so it is not Canvas's export" in capsys.readouterr().out
    assert cli.main(["export", "moodle", *moodle, *common]) == 2  # which chapter?
    assert cli.main(["export", "moodle", *moodle, *common, "--chapter", "01"]) == 0
    assert "Participant 12345" in out.read_text()


@pytest.mark.parametrize("lms_name", ["canvas", "moodle"])
def test_the_command_never_overwrites_the_lms_file(tmp_path, lms_name):
    source = tmp_path / "export.csv"
    source.write_text(CANVAS)
    grades = write_grades(tmp_path / "grades.csv")
    argv = ["export", lms_name, "--gradebook", str(source), "--grades", str(grades)]
    assert cli.main([*argv, "--out", str(source), "--chapter", "01"]) == 2
    assert source.read_text() == CANVAS
