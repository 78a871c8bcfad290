"""The course's steps go into nbgrader's own lists (nncourse.pipeline)."""

from __future__ import annotations

import pytest
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, SaveAutoGrades

from nncourse.grade.kernels import SandboxedExecute
from nncourse.grade.worker import _pipelines
from nncourse.pipeline import inserted, nbgrader_steps
from nncourse.preprocessors import InsertProbes, JudgeProbes


def test_steps_go_around_the_anchor():
    assert inserted(["a", "b", "c"], "b", before=["x"], after=["y"]) == [
        "a", "x", "b", "y", "c",
    ]  # fmt: skip
    assert inserted(["a", "b"], "b", instead="B") == ["a", "B"]


def test_a_missing_anchor_is_an_error_not_a_skip():
    with pytest.raises(ValueError, match="not among nbgrader's steps"):
        inserted(["a"], "b", after=["y"])


def test_the_grader_keeps_every_step_of_nbgraders_autograde():
    steps = _pipelines(SandboxedExecute)["Autograde"]["autograde_preprocessors"]
    defaults = nbgrader_steps(Autograde, "autograde_preprocessors")
    assert [step for step in defaults if step is not Execute] == [
        step for step in steps if step in defaults
    ]
    judged = steps.index(SandboxedExecute)
    assert steps[judged - 1 : judged + 2] == [
        InsertProbes,
        SandboxedExecute,
        JudgeProbes,
    ]
    assert steps.index(JudgeProbes) < steps.index(SaveAutoGrades)  # scored after
