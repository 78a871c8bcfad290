"""The late-work policy: days or part of a day late after the deadline, the
grace and a student's extension; a penalty per day or a curve, capped; and
nbgrader's question (how many points) answered for the right chapter."""

from __future__ import annotations

import pytest
from traitlets.config import Config

from nncourse.late import DAY, LatePolicy

DEADLINE = "2027-01-25T23:59:00+01:00"  # 22:59 UTC


def policy(**settings) -> LatePolicy:
    config = Config({"LatePolicy": {"deadlines": {"01-modules": DEADLINE}, **settings}})
    return LatePolicy(config=config)


@pytest.mark.parametrize(
    ("submitted", "share"),
    [
        ("2027-01-25 22:59:00 UTC", None),  # on the minute
        ("2027-01-25 23:10:00 UTC", None),  # within the 15 minutes' grace
        ("2027-01-25 23:15:00 UTC", 0.1),  # a minute late is a day
        ("2027-01-26 23:14:00 UTC", 0.1),
        ("2027-01-27 00:00:00 UTC", 0.2),
        ("2027-02-25 00:00:00 UTC", 0.5),  # capped
    ],
)
def test_days_late_after_the_grace_cost_a_share_each(submitted, share):
    late = policy(grace_minutes=15, cap=0.5).lateness("ann", "01-modules", submitted)
    assert (late.share if late else None) == share


def test_an_extension_moves_the_deadline_for_that_student_and_chapter_only():
    extended = policy(extensions={"ann": {"01-modules": 2}})
    stamp = "2027-01-27 12:00:00 UTC"  # 1.5 days late
    assert extended.lateness("ann", "01-modules", stamp) is None
    assert extended.lateness("bob", "01-modules", stamp).days == 2
    assert extended.lateness("ann", "02-layers", stamp) is None  # no deadline


def test_a_curve_replaces_the_daily_penalty():
    curved = policy(curve=[[1, 0.05], [3, 0.3], [7, 1.0]], cap=1.0)
    assert [curved.share(days) for days in (0, 1, 2, 3, 6, 7, 30)] == [
        0.0,
        0.05,
        0.05,
        0.3,
        0.3,
        1.0,
        1.0,
    ]


def test_no_timestamp_or_no_deadline_is_never_late():
    assert policy().lateness("ann", "01-modules", None) is None
    assert policy().lateness("ann", "03-parameters", "2030-01-01 00:00 UTC") is None


def test_nbgrader_asks_for_the_chapter_it_is_grading():
    from nbgrader.preprocessors import AssignLatePenalties

    settings = {"penalty_per_day": 0.25, "extensions": {"ann": {"02-layers": 1}}}
    grading = AssignLatePenalties(config=policy(**settings).config)
    grading.assignment_id = "01-modules"  # as nbgrader sets it
    late = LatePolicy(parent=grading)
    assert late.late_submission_penalty("ann", 12.0, 1.5 * DAY) == 6.0
    assert late.late_submission_penalty("ann", 12.0, 0) is None
    grading.assignment_id = "02-layers"  # nbgrader's due date, her extension
    assert late.late_submission_penalty("ann", 12.0, 1.5 * DAY) == 3.0


def test_the_sentence_says_how_late_and_what_it_cost():
    late = policy().lateness("ann", "01-modules", "2027-01-27 00:59:00 UTC")
    assert late.sentence(12.0) == (
        "Submitted 26.0 hours after the deadline and any extension (day 2 late): "
        "the late-work policy takes 20% of its score, 2.40 points."
    )
