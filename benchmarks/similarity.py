"""Benchmark: ``nncourse similarity`` on a synthetic class, and whether it
finds a copy of the solution with every name changed.

The class: STUDENTS students (default 300), every chapter, each answer cell
drawn at random (seeded) from the solution, the kept right answers and the
kept wrong answers of that cell, so that many students share answers, as a
class does; plus one student whose every answer is the solution with its
names changed. Prints the wall time, the pairs reported and where the
disguised copy ranks.

    .venv/bin/python benchmarks/similarity.py [STUDENTS]
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from nncourse.course import Course
from nncourse.kept_answers import right_answers, wrong_answers
from nncourse.similarity import SOLUTION, similarity

NAMES = re.compile(r"\b(layers|sizes|hidden|model|X|y|logits|loss|out|x)\b")


def disguised(source: str) -> str:
    return NAMES.sub(lambda m: f"my_{m.group(1).lower()}_value", source)


def answers_of(course: Course, chapter: str) -> dict[str, list[str]]:
    """answer cell -> the sources a synthetic student may give there."""
    source = nbformat.read(course.source(chapter), 4)
    found = {
        cell.metadata["nbgrader"]["grade_id"]: [cell.source]
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    for kind in (right_answers, wrong_answers):
        folder = course.kept_answers(kind.__name__.split("_")[0], chapter)
        for answer in kind(folder) if folder.is_dir() else []:
            found.setdefault(answer.cell, []).append(answer.source)
    return found


def write_class(course: Course, results: Path, students: int) -> None:
    chance = random.Random(0)
    for chapter in course.chapters():
        release = nbformat.read(course.released(chapter), 4)
        choices = answers_of(course, chapter)
        for number in range(students + 1):
            notebook = nbformat.from_dict(release)
            for cell in notebook.cells:
                cell_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if cell_id in choices:
                    options = choices[cell_id]
                    cell.source = (
                        disguised(options[0])
                        if number == students
                        else chance.choice(options)
                    )
            name = "disguised" if number == students else f"student-{number:03d}"
            folder = results / "executed" / name / chapter
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / f"{chapter}.ipynb")


def main() -> None:
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    course = Course.find()
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp)
        write_class(course, results, students)
        started = time.perf_counter()
        pairs = similarity(course, results, course.chapters(), threshold=0.6)
        took = time.perf_counter() - started
    found = [
        p for p in pairs if p.first.owner == "disguised" and p.second.owner == SOLUTION
    ]
    print(f"{students} students x {len(course.chapters())} chapters: {took:.1f} s")
    print(f"pairs reported: {len(pairs)}")
    print(
        f"the disguised copy of the solution found in {len(found)} of "
        f"{len(course.chapters())} chapters, shares "
        + ", ".join(f"{p.score:.2f}" for p in found)
    )


if __name__ == "__main__":
    main()
