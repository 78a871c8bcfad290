"""Mutation testing of the graders, for real (``nncourse mutants``).

The whole report takes well under a minute (one torch import per chapter,
mutants forked from the chapter's namespace), so it runs with the test
suite: every chapter's tests must kill enough of its solutions' mutants.
"""

from __future__ import annotations

import json

import pytest

from nncourse.course import Course
from nncourse.mutation import command as mutants
from nncourse.mutation import report, runner
from nncourse.mutation.report import KILLED
from tests.conftest import REPO, chapter_ids

MIN_RATE = mutants.DEFAULT_MIN_RATE / 100


@pytest.fixture(scope="module")
def reports(fashion_mnist_root):
    course = Course(REPO)
    settings = runner.Settings(
        exercises=None,
        equivalent=mutants.equivalents(course),
        timeout=mutants.DEFAULT_TIMEOUT,
        course=course,
    )
    return runner.run(chapter_ids(), settings, jobs=2)


@pytest.mark.slow
def test_every_solution_passes_and_its_tests_kill_mutants(reports):
    assert sorted(report.by_chapter(reports)) == chapter_ids()
    for exercise in reports:
        assert not exercise.broken, (
            f"{exercise.chapter} {exercise.exercise}: {exercise.broken}"
        )
        assert exercise.count(KILLED) > 0, exercise
    document = json.loads(report.as_json(reports, MIN_RATE, 1.0))
    shown = document["chapters"]["02-layers"]["exercises"][0]
    assert shown["generated"] == len(shown["mutants"]) > 0
    assert set(shown) >= {"killed", "timeout", "survived", "equivalent", "rate"}


@pytest.mark.slow
def test_every_chapter_kills_enough_mutants(reports):
    """The course's budget (issue 10): >= 95 % of non-equivalent mutants."""
    failing = [
        chapter
        for chapter, exercises in report.by_chapter(reports).items()
        if not report.chapter_passes(exercises, MIN_RATE)
    ]
    assert not failing, report.text(reports, MIN_RATE)


def test_kept_answers_are_judged_fairly_by_the_same_runner(reports):
    """Every kept wrong answer fails and every kept right answer passes, run
    as the mutants are (through the specs where a chapter has them)."""
    unfair = [f"{r.chapter} {r.exercise}: {line}" for r in reports for line in r.unfair]
    assert not unfair, "\n".join(unfair)
