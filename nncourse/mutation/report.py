"""Outcomes of the mutants, counted per exercise and chapter; the list of
equivalent mutants; the text and JSON reports."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

KILLED, TIMEOUT, SURVIVED, EQUIVALENT = "killed", "timeout", "survived", "equivalent"
OUTCOMES = (KILLED, TIMEOUT, SURVIVED, EQUIVALENT)


@dataclass
class MutantResult:
    id: str
    line: int
    description: str
    outcome: str
    diff: str = ""  # kept for survivors only
    reason: str = ""  # why it is equivalent


@dataclass
class ExerciseReport:
    chapter: str
    exercise: str
    mutants: list[MutantResult] = field(default_factory=list)
    broken: str = ""  # why the unmutated solution failed its test here
    seconds: float = 0.0
    #: kept answers (autograder/wrong-answers, right-answers) judged unfairly:
    #: wrong ones that passed, right ones that failed
    unfair: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(mutant.outcome == outcome for mutant in self.mutants)


def _rate(reports: list[ExerciseReport]) -> float | None:
    """Killed (timeouts included) over the mutants that are not equivalent."""
    caught = sum(r.count(KILLED) + r.count(TIMEOUT) for r in reports)
    considered = caught + sum(r.count(SURVIVED) for r in reports)
    return caught / considered if considered else None


def _counts(reports: list[ExerciseReport]) -> str:
    counts = {o: sum(r.count(o) for r in reports) for o in OUTCOMES}
    generated = sum(len(r.mutants) for r in reports)
    rate = _rate(reports)
    shown = "n/a" if rate is None else f"{100 * rate:.1f} %"
    return (
        f"{generated} generated, {counts[KILLED]} killed, {counts[TIMEOUT]} timeout, "
        f"{counts[SURVIVED]} survived, {counts[EQUIVALENT]} equivalent: {shown} killed"
    )


def by_chapter(reports: list[ExerciseReport]) -> dict[str, list[ExerciseReport]]:
    chapters: dict[str, list[ExerciseReport]] = defaultdict(list)
    for report in reports:
        chapters[report.chapter].append(report)
    return dict(chapters)


def chapter_passes(reports: list[ExerciseReport], min_rate: float) -> bool:
    rate = _rate(reports)
    return not any(r.broken or r.unfair for r in reports) and (
        rate is None or rate >= min_rate
    )


def text(reports: list[ExerciseReport], min_rate: float) -> str:
    lines = []
    chapters = by_chapter(reports)
    for chapter, exercises in chapters.items():
        for report in exercises:
            if report.broken:
                lines.append(f"{chapter} {report.exercise}: BROKEN: {report.broken}")
                continue
            lines.append(f"{chapter} {report.exercise}: {_counts([report])}")
            lines.extend(f"  UNFAIR: {unfair}" for unfair in report.unfair)
            for mutant in report.mutants:
                if mutant.outcome == SURVIVED:
                    lines.append(
                        f"  survived {mutant.id} (line {mutant.line}): "
                        f"{mutant.description}"
                    )
                    lines.extend("    " + line for line in mutant.diff.splitlines())
        lines.append(f"{chapter} total: {_counts(exercises)}")
        lines.append("")
    for chapter, exercises in chapters.items():
        verdict = "meets" if chapter_passes(exercises, min_rate) else "BELOW"
        rate = _rate(exercises)
        shown = "n/a" if rate is None else f"{100 * rate:5.1f} %"
        broken = " (broken exercises)" if any(r.broken for r in exercises) else ""
        if any(r.unfair for r in exercises):
            broken += " (unfair to kept answers)"
        lines.append(f"{chapter:<20} {shown}  {verdict} {100 * min_rate:g} %{broken}")
    return "\n".join(lines) + "\n"


def as_json(reports: list[ExerciseReport], min_rate: float, seconds: float) -> str:
    chapters = {
        chapter: {
            "rate": _rate(exercises),
            "meets": chapter_passes(exercises, min_rate),
            "exercises": [
                {
                    **dataclasses.asdict(report),
                    "generated": len(report.mutants),
                    **{outcome: report.count(outcome) for outcome in OUTCOMES},
                    "rate": _rate([report]),
                }
                for report in exercises
            ],
        }
        for chapter, exercises in by_chapter(reports).items()
    }
    document = {
        "min_rate": min_rate,
        "seconds": round(seconds, 1),
        "chapters": chapters,
    }
    return json.dumps(document, indent=1) + "\n"


@dataclass(frozen=True)
class Equivalent:
    """A mutant that computes what the solution computes, and why."""

    chapter: str
    exercise: str
    id: str
    reason: str


def read_equivalents(path: Path) -> list[Equivalent]:
    """Lines ``CHAPTER EXERCISE MUTANT_ID  # reason``; ``#`` starts a comment line."""
    entries = []
    if not path.exists():
        return entries
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields, _, reason = line.partition("#")
        if len(fields.split()) != 3 or not reason.strip():
            raise ValueError(
                f"{path}:{number}: expected 'CHAPTER EXERCISE MUTANT_ID  # reason', "
                f"got {line!r}"
            )
        entries.append(Equivalent(*fields.split(), reason.strip()))
    return entries
