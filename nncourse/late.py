"""Late work: the course's policy, applied through nbgrader's plugin point.

The policy is configuration of :class:`LatePolicy` in
``autograder/nbgrader_config.py`` (deadline per chapter, grace minutes, a
penalty per day late or a curve, a cap, per-student extensions), and
nbgrader's ``AssignLatePenalties`` uses it as its ``plugin_class``: nbgrader
measures how late a submission is from its ``timestamp.txt`` and the
chapter's due date in the gradebook (``nncourse grade`` sets it from the
deadline), and asks :meth:`LatePolicy.late_submission_penalty` what that costs.
The same policy tells the student how late and what it cost
(:meth:`LatePolicy.lateness`, :meth:`Lateness.sentence`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Dict, Float, List, Unicode

DAY = 86_400


def utc(text: str) -> datetime:
    """A deadline or timestamp as naive UTC, as nbgrader keeps them; text
    without an offset is UTC."""
    from nbgrader.utils import parse_utc

    return parse_utc(text).replace(tzinfo=None)


@dataclass(frozen=True)
class Lateness:
    seconds: float  # past the deadline, its extension and the grace
    days: int  # days or part of a day late
    share: float  # of the notebook's score that it costs

    def sentence(self, score: float | None = None) -> str:
        """How late, and what it cost (in points, given the raw score)."""
        hours = self.seconds / 3600
        late = f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"
        cost = f"{self.share:.0%} of its score"
        if score is not None:
            cost += f", {score * self.share:.2f} points"
        return (
            f"Submitted {late} after the deadline and any extension (day "
            f"{self.days} late): the late-work policy takes {cost}."
        )


class LatePolicy(LateSubmissionPlugin):
    """The course's late-work policy, as nbgrader's late submission plugin."""

    deadlines = Dict(
        value_trait=Unicode(),
        help="chapter -> deadline, ISO 8601 with an offset "
        "('2027-01-18T23:59:00+01:00'); a chapter without one is never late",
    ).tag(config=True)
    grace_minutes = Float(0, help="Minutes after a deadline still on time.").tag(
        config=True
    )
    penalty_per_day = Float(
        0.1, help="Share of the score a day (or part of one) late costs."
    ).tag(config=True)
    curve = List(
        help="Instead of penalty_per_day: [[days late, share], ...], ascending; "
        "a submission costs the share of the first entry its days reach"
    ).tag(config=True)
    cap = Float(1.0, help="The most a late submission can cost, as a share.").tag(
        config=True
    )
    extensions = Dict(
        help="student id -> {chapter: days}: more time for that student"
    ).tag(config=True)

    def deadline(self, chapter: str) -> datetime | None:
        text = self.deadlines.get(chapter)
        return utc(text) if text else None

    def allowance(self, student: str, chapter: str) -> float:
        """Seconds after the deadline that still count as on time."""
        days = float(self.extensions.get(student, {}).get(chapter, 0))
        return days * DAY + self.grace_minutes * 60

    def share(self, days: int) -> float:
        if self.curve:
            reached = [share for limit, share in sorted(self.curve) if days >= limit]
            share = reached[-1] if reached else 0.0
        else:
            share = days * self.penalty_per_day
        return min(max(share, 0.0), self.cap)

    def lateness_after(self, student: str, chapter: str, seconds: float):
        """The :class:`Lateness` of a submission ``seconds`` after the
        chapter's deadline, or None when it is on time."""
        late = seconds - self.allowance(student, chapter)
        if late <= 0:
            return None
        days = math.ceil(late / DAY)
        return Lateness(late, days, self.share(days))

    def lateness(self, student: str, chapter: str, submitted: str | None):
        """The lateness of a submission stamped ``submitted``, if any."""
        deadline = self.deadline(chapter)
        if deadline is None or not submitted:
            return None
        seconds = (utc(submitted) - deadline).total_seconds()
        return self.lateness_after(student, chapter, seconds)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """nbgrader's question, answered by the policy: the points that a
        notebook ``total_seconds_late`` after its due date loses."""
        chapter = self.parent.assignment_id  # AssignLatePenalties sets it first
        found = self.lateness_after(student_id, chapter, total_seconds_late)
        return score * found.share if found else None


def due_dates(policy: LatePolicy, db_url: str, chapters: list[str]) -> None:
    """Give each chapter's assignment in the gradebook its deadline, from
    which nbgrader measures lateness."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        for chapter in chapters:
            deadline = policy.deadline(chapter)
            if deadline is not None:
                gradebook.update_or_create_assignment(chapter, duedate=deadline)
