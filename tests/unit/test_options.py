"""GradeOptions work out the limits once; the command line maps onto them."""

from __future__ import annotations

import copy

import pytest

from nncourse import cli
from nncourse.course import Course
from nncourse.grade import options
from nncourse.grade.collect import LMS_PATTERN
from nncourse.grade.options import GradeOptions
from nncourse.grade.worker import NO_FIGURES, autograde_config
from tests.conftest import REPO


def test_the_course_decides_what_was_not_chosen(tmp_path):
    chosen = GradeOptions.create(tmp_path, tmp_path / "out")
    assert chosen.course.root == REPO and "01-modules" in chosen.chapters
    assert chosen.db_url == chosen.config.CourseDirectory.db_url
    assert chosen.limits.cell_timeout == chosen.config.ExecutePreprocessor.timeout
    assert chosen.limits.notebook_timeout == options.MIN_NOTEBOOK_TIMEOUT
    assert chosen.limits.sandbox and chosen.limits.memory == "4 GB"
    assert chosen.pattern == LMS_PATTERN
    assert chosen.course.specs == REPO / "autograder" / "specs"
    assert chosen.probe_seed != GradeOptions.create(tmp_path, tmp_path).probe_seed


def test_the_notebook_limit_follows_the_cell_limit(tmp_path):
    chosen = GradeOptions.create(tmp_path, tmp_path, timeout=200, unsafe=True)
    assert chosen.limits.cell_timeout == 200
    assert chosen.limits.notebook_timeout == options.NOTEBOOK_TIMEOUT_CELLS * 200
    assert not chosen.limits.sandbox
    again = GradeOptions.create(tmp_path, tmp_path, timeout=200, notebook_timeout=30)
    assert again.limits.notebook_timeout == 30
    assert again.grading_inputs() != chosen.grading_inputs()


def test_grade_maps_every_argument_onto_the_options(monkeypatch, tmp_path):
    made = {}

    def create(*args, **kwargs):
        made.update(args=args, kwargs=kwargs)
        raise SystemExit("stop before grading")

    monkeypatch.setattr(GradeOptions, "create", staticmethod(create))
    arguments = ["grade", "subs", "--out", "o", "--course", str(REPO)]
    arguments += ["--chapter", "01", "--workers", "3", "--scheduler", "tcp://x:1"]
    arguments += ["--db", "sqlite://", "--timeout", "9", "--notebook-timeout", "99"]
    arguments += ["--pattern", "p", "--unsafe", "--accept", "ann/01"]
    arguments += ["--accept", "b/o/b/01-modules", "--figures"]
    with pytest.raises(SystemExit, match="stop before grading"):
        cli.main(arguments)
    assert [str(path) for path in made["args"]] == ["subs", "o"]
    assert made["kwargs"] == {
        "course": Course(REPO),
        "chapters": ["01-modules"],
        "workers": 3,
        "scheduler": "tcp://x:1",
        "db_url": "sqlite://",
        "timeout": 9,
        "notebook_timeout": 99,
        "unsafe": True,
        "pattern": "p",
        "accept": ["ann/01-modules", "b/o/b/01-modules"],
        "figures": True,
    }


def test_grade_help_states_the_defaults_of_the_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"(default: {options.DEFAULT_WORKERS})" in text
    assert f"at least {options.MIN_NOTEBOOK_TIMEOUT})" in text


def test_accept_needs_a_student_and_a_chapter():
    with pytest.raises(SystemExit, match="expected STUDENT/CHAPTER"):
        cli.accepted(["01-modules"], REPO)


def test_only_the_accepted_notebooks_are_accepted(tmp_path):
    chosen = GradeOptions.create(tmp_path, tmp_path, accept=["ann/01-modules"])
    assert chosen.accepted("ann", "01-modules")
    assert not chosen.accepted("ann", "02-layers")
    assert not chosen.accepted("bob", "01-modules")


def test_figures_are_drawn_only_when_asked_for(tmp_path):
    undrawn = GradeOptions.create(tmp_path, tmp_path / "out")
    drawn = GradeOptions.create(tmp_path, tmp_path / "out", figures=True)
    assert NO_FIGURES in autograde_config(tmp_path, undrawn).Execute.extra_arguments
    assert NO_FIGURES not in autograde_config(tmp_path, drawn).Execute.extra_arguments
    # A resumed run with the other choice grades again: the feedback differs.
    assert undrawn.grading_inputs() != drawn.grading_inputs()


def test_a_students_config_leaves_the_next_students_alone(tmp_path):
    chosen = GradeOptions.create(tmp_path, tmp_path / "out")
    course = copy.deepcopy(chosen.config)
    first = autograde_config(tmp_path / "ann", chosen)
    second = autograde_config(tmp_path / "bob", chosen)
    assert chosen.config == course
    assert first.Execute.extra_arguments == second.Execute.extra_arguments
    assert second.CourseDirectory.root == str(tmp_path / "bob")


def test_every_command_takes_the_course(tmp_path, monkeypatch, capsys):
    """--course DIR, else the course that holds the working folder; a
    folder that is not a course is named, with the fix."""
    monkeypatch.chdir(REPO / "solutions" / "01-modules")
    assert Course.find() == Course(REPO)
    monkeypatch.chdir(tmp_path)
    commands = [["release", "--check"], ["grade", "subs", "--out", "o"]]
    commands += [["data"], ["mutants"], ["links"]]
    for command in commands:
        with pytest.raises(SystemExit, match="pass --course DIR"):
            cli.main(command)
    with pytest.raises(SystemExit, match=f"{tmp_path} is not a course"):
        cli.main(["release", "--check", "--course", str(tmp_path)])
    from nncourse import release

    checked = []
    monkeypatch.setattr(release, "check", lambda *args: checked.append(args) or [])
    assert cli.main(["release", "--check", "--course", str(REPO), "01"]) == 0
    assert checked == [(Course(REPO), ["01-modules"])]
    assert "matches solutions/ for 01-modules" in capsys.readouterr().out
