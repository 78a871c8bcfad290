"""Our steps put into nbgrader's own lists of preprocessors, never restated.

nbgrader's converters name their default steps in traits
(``Autograde.sanitize_preprocessors`` and ``autograde_preprocessors``,
``GenerateFeedback.preprocessors``); the course's configuration and the
grader's worker take those defaults and insert the course's steps around an
anchor, so that a step nbgrader adds in a later release is kept.
"""

from __future__ import annotations


def nbgrader_steps(converter, trait: str = "preprocessors") -> list:
    """The default of ``converter``'s list of steps named ``trait``."""
    return list(converter.class_traits()[trait].default())


def inserted(steps: list, anchor, *, before=(), after=(), instead=None) -> list:
    """``steps`` with ``before`` and ``after`` around ``anchor``, which
    ``instead`` replaces when given. Fails if ``anchor`` is not there: a
    step nbgrader renamed or dropped must be looked at, not skipped."""
    if anchor not in steps:
        raise ValueError(f"{anchor!r} is not among nbgrader's steps {steps!r}")
    at = steps.index(anchor)
    own = anchor if instead is None else instead
    return [*steps[:at], *before, own, *after, *steps[at + 1 :]]
