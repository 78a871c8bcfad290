"""Benchmark: grade a generated class serially with plain ``nbgrader autograde``
and in parallel with ``nncourse grade --workers N``, in one run.

The class has ``--students`` students; student i is, by ``i % 4``: correct,
partly wrong (one wrong answer from autograder/wrong-answers per chapter),
broken (one chapter not valid JSON, the others correct), or the untouched
release. Prints the seconds and students per minute of each way and their
ratio, the CPU seconds each spent per student and per notebook (the whole
machine's: nothing else may run), and whether both gave every graded notebook
the same scores. A benchmark, not a test: run it on a quiet machine.
``--skip-serial`` grades the class with ``nncourse grade`` alone (to compare
two versions of it); ``--figures`` has it draw figures, as nbgrader does.

    NNCOURSE_DATA=../shared/data .venv/bin/python benchmarks/grading.py --students 8
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nncourse.course import Course  # noqa: E402
from nncourse.grade import GradeOptions, grade  # noqa: E402
from tests import autograding  # noqa: E402  (builds submissions from the release)


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent. (Not this process's children:
    bwrap's monitor does not wait for the sandbox's init, so the kernels' CPU
    time never reaches the grader's rusage. Hence: a quiet machine.)"""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = map(int, fields[:7])
    # (steal, the next field, is time the host gave to other machines)
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


class Measured:
    """Wall-clock and machine CPU seconds of a block, and this process's."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), machine_cpu_seconds()
        self.own = time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = machine_cpu_seconds() - self.cpu
        self.own = time.process_time() - self.own  # this process: collect,
        # prepare, the Dask scheduler, record and report


def make_class(folder: Path, students: int, chapter_ids: list[str]) -> None:
    for i in range(students):
        kind = ("correct", "partly-wrong", "broken", "untouched")[i % 4]
        for n, chapter in enumerate(chapter_ids):
            target = folder / f"student-{i:02d}-{kind}" / chapter / f"{chapter}.ipynb"
            target.parent.mkdir(parents=True)
            answers = autograding.solution_cells(chapter)
            if kind == "untouched":
                answers = {}
            elif kind == "partly-wrong":
                wrong = autograding.wrong_answers(chapter)
                pick = wrong[i % len(wrong)]
                answers = {**answers, pick.cell: pick.source}
            elif kind == "broken" and n == 0:
                target.write_text('{"cells": [ this is not json')
                continue
            nbformat.write(autograding.submission(chapter, answers), target)


def serial(class_folder: Path, course: Path, chapter_ids: list[str]) -> Measured:
    for chapter in chapter_ids:
        autograding.make_course(course, chapter)
    shutil.copytree(class_folder, course / "autograder" / "submitted")
    with Measured() as measured:
        for chapter in chapter_ids:
            # A broken submission makes nbgrader exit 1 after grading the others.
            autograding.nbgrader(
                course, "autograde", chapter, "--create", "--force", check=False
            )
    return measured


def serial_scores(course: Path) -> dict[tuple[str, str], dict[str, float]]:
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    grades = {grade.name: grade.score for grade in notebook.grades}
                    scores[submission.student.id, assignment.name] = grades
    return scores


def parallel(class_folder: Path, tmp: Path, chapter_ids, workers: int, figures: bool):
    with Measured() as measured:
        options = GradeOptions.create(
            class_folder,
            tmp / "results",
            chapters=chapter_ids,
            workers=workers,
            db_url=f"sqlite:///{tmp / 'parallel.db'}",
            course=Course(REPO),
            figures=figures,
        )
        rows = grade(options)
    # nbgrader records a notebook that is not JSON with zero points; nncourse
    # grade gives it zero points too, as "invalid", without recording it.
    scores: dict[tuple[str, str], dict[str, float]] = {}
    for row in rows:
        if row.status != "missing":
            scores.setdefault((row.student_id, row.chapter), {})[row.cell] = row.score
    return measured, scores


def report(name: str, run: Measured, students: int, notebooks: int) -> None:
    print(
        f"{name}: {run.wall:.1f} s, {students / run.wall * 60:.1f} "
        f"students/min; CPU {run.cpu:.0f} s, {run.cpu / students:.1f} s per "
        f"student, {run.cpu / notebooks:.2f} s per notebook"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--chapter", dest="chapters", action="append", default=[])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-serial", action="store_true")
    parser.add_argument("--figures", action="store_true")
    args = parser.parse_args()
    chapter_ids = args.chapters or Course(REPO).chapters()
    notebooks = args.students * len(chapter_ids)
    with tempfile.TemporaryDirectory(prefix="nncourse-grading-bench-") as tmp:
        tmp = Path(tmp)
        make_class(tmp / "class", args.students, chapter_ids)
        print(f"{args.students} students x {len(chapter_ids)} chapters")
        if not args.skip_serial:
            serial_run = serial(tmp / "class", tmp / "serial", chapter_ids)
            expected = serial_scores(tmp / "serial")
            report("nbgrader autograde, serial", serial_run, args.students, notebooks)
        parallel_run, got = parallel(
            tmp / "class", tmp, chapter_ids, args.workers, args.figures
        )
    name = f"nncourse grade --workers {args.workers}"
    name += " --figures" if args.figures else ""
    report(name, parallel_run, args.students, notebooks)
    print(f"  of which the coordinator (this process): {parallel_run.own:.0f} s")
    if args.skip_serial:
        return
    print(f"speed-up: {serial_run.wall / parallel_run.wall:.2f}")
    same = expected == got
    print(f"same scores for all {len(expected)} graded notebooks: {same}")
    if not same:
        for key in sorted(set(expected) | set(got)):
            if expected.get(key) != got.get(key):
                print(f"  {key}: serial {expected.get(key)}, parallel {got.get(key)}")


if __name__ == "__main__":
    main()
