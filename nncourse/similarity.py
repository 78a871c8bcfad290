"""``nncourse similarity RESULTS``: answers that are much alike, side by side,
for a person to judge. Never a penalty by itself: the course is open, its
solutions are in the book, and two short answers to one exercise can agree.

Each student's answer cells of a chapter (from ``RESULTS/executed/``, what
``nncourse grade`` ran) are compared with every other student's, and with the
published solution and the kept right answers (``autograder/right-answers/``),
by copydetect's winnowing (as MOSS does): code is tokenised with names,
functions and strings made anonymous (so renaming the variables hides
nothing), hashed in windows, and the code the release itself gives (the
answer cells' stubs) is boilerplate that never counts as a match.

Writes ``similarity.html`` (every pair above the threshold, the matching code
marked in both, all of it escaped text) and ``similarity.csv``.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np

from nncourse.course import Course
from nncourse.kept_answers import right_answers
from nncourse.preprocessors.cells import grade_id
from nncourse.spreadsheet import neutralised

#: copydetect's noise threshold (a match shorter than this many characters of
#: tokenised code is ignored) and its window (any match of
#: ``NOISE + WINDOW - 1`` characters is found).
NOISE = 25
WINDOW = 6
THRESHOLD = 0.6
#: Pairs the page shows side by side, most alike first; the table has all.
SHOWN = 200
SOLUTION = "(the solution)"


@dataclass
class Answers:
    owner: str  # a student id, the solution or a kept answer
    text: str
    fingerprint: object  # copydetect.CodeFingerprint
    reference: bool = False  # the solution or a kept answer, not a student


@dataclass
class Pair:
    chapter: str
    first: Answers
    second: Answers
    similarity: tuple[float, float]  # share of each one's code found in the other
    slices: tuple  # copydetect's (starts, ends) in each one's text

    @property
    def score(self) -> float:
        """Between students, the larger share (one may have copied part of
        the other); against a reference, the student's share: a short kept
        answer is found in much of every correct notebook."""
        if self.second.reference:
            return float(self.similarity[0])
        return float(max(self.similarity))


def answer_ids(release) -> list[str]:
    """grade_ids of the release's answer cells, in order."""
    return [
        grade_id(cell)
        for cell in release.cells
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id(cell)
    ]


def answer_text(notebook, ids: list[str]) -> str:
    """The notebook's answer cells, each headed by its grade_id."""
    cells = {grade_id(cell): cell.source for cell in notebook.cells}
    return "".join(f"# {i}\n{cells[i]}\n\n" for i in ids if i in cells)


def fingerprint(text: str, boilerplate=None):
    from copydetect import CodeFingerprint

    return CodeFingerprint(
        "answers.py",
        NOISE,
        WINDOW,
        boilerplate=boilerplate,
        language="python",
        fp=io.StringIO(text),
    )


def references(course: Course, chapter: str, ids: list[str]) -> dict[str, str]:
    """The published solution's answers, and each kept right answer."""
    source = nbformat.read(course.source(chapter), 4)
    found = {SOLUTION: answer_text(source, ids)}
    for answer in right_answers(course.kept_answers("right", chapter)):
        found[f"(right answer {answer.name})"] = f"# {answer.cell}\n{answer.source}"
    return found


def compare(chapter: str, documents: list[Answers], students: int, threshold: float):
    """Pairs above ``threshold``: every two of the first ``students``
    documents, and each of them with each reference after them."""
    from copydetect import compare_files

    hashes = [set(document.fingerprint.hashes) for document in documents]
    pairs = []
    candidates = itertools.chain(
        itertools.combinations(range(students), 2),
        itertools.product(range(students), range(students, len(documents))),
    )
    for i, j in candidates:
        if not hashes[i] & hashes[j]:
            continue  # no shared window: nothing to compare
        _, similarity, slices = compare_files(
            documents[i].fingerprint, documents[j].fingerprint
        )
        pair = Pair(chapter, documents[i], documents[j], similarity, slices)
        if pair.score >= threshold:
            pairs.append(pair)
    return pairs


def chapter_pairs(course: Course, results: Path, chapter: str, threshold: float):
    release = nbformat.read(course.released(chapter), 4)
    ids = answer_ids(release)
    given = fingerprint(answer_text(release, ids)).hashes  # a set
    boilerplate = np.array(sorted(given), dtype=np.int64)
    documents = []
    for path in sorted((results / "executed").glob(f"*/{chapter}/{chapter}.ipynb")):
        text = answer_text(nbformat.read(path, 4), ids)
        student = path.parent.parent.name
        documents.append(Answers(student, text, fingerprint(text, boilerplate)))
    students = len(documents)
    for owner, text in references(course, chapter, ids).items():
        reference = Answers(owner, text, fingerprint(text, boilerplate), True)
        documents.append(reference)
    return compare(chapter, documents, students, threshold)


def marked(text: str, slices) -> str:
    """``text`` escaped, with the matching slices in ``<mark>``."""
    out, position = [], 0
    for start, end in sorted(zip(slices[0], slices[1], strict=True)):
        start, end = max(int(start), position), int(end)
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = max(position, end)
    out.append(html.escape(text[position:]))
    return "".join(out)


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'">
<title>Similar answers</title>
<style>body{{font-family:sans-serif;margin:1em}} .pair{{display:flex;gap:1em}}
.pair>div{{flex:1;min-width:0}}
pre{{white-space:pre-wrap;background:#f6f6f6;padding:.5em}}
mark{{background:#ffd54f}}</style></head><body>
<h1>Similar answers</h1>
<p>{summary}</p>
{sections}
</body></html>
"""


def page(pairs: list[Pair], threshold: float) -> str:
    summary = (
        f"{len(pairs)} pairs share at least {threshold:.0%} of one side's "
        "answer code (code the release gives does not count). Alike is not "
        "copied: read the marked code before anything else."
    )
    if len(pairs) > SHOWN:
        summary += (
            f" The {SHOWN} most alike are shown; similarity.csv lists all {len(pairs)}."
        )
    sections = []
    for pair in sorted(pairs, key=lambda p: (-p.score, p.chapter))[:SHOWN]:
        sides = [
            f"<div><h3>{html.escape(answers.owner)}: {share:.0%} found in the "
            f"other</h3><pre>{marked(answers.text, cut)}</pre></div>"
            for answers, share, cut in zip(
                (pair.first, pair.second), pair.similarity, pair.slices, strict=True
            )
        ]
        title = html.escape(
            f"{pair.chapter}: {pair.first.owner} and {pair.second.owner}"
        )
        body = f"<div class='pair'>{''.join(sides)}</div>"
        sections.append(f"<section><h2>{title}</h2>{body}</section>")
    return PAGE.format(summary=html.escape(summary), sections="\n".join(sections))


def table(pairs: list[Pair]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["chapter", "first", "second", "first_share", "second_share"])
    for pair in sorted(pairs, key=lambda p: (-p.score, p.chapter)):
        first, second = pair.similarity
        owners = [neutralised(pair.first.owner), neutralised(pair.second.owner)]
        writer.writerow([pair.chapter, *owners, f"{first:.3f}", f"{second:.3f}"])
    return out.getvalue()


def similarity(course: Course, results: Path, chapters: list[str], threshold: float):
    """Every chapter's pairs; writes the page and the table into ``results``."""
    pairs = [
        pair
        for chapter in chapters
        for pair in chapter_pairs(course, results, chapter, threshold)
    ]
    (results / "similarity.html").write_text(page(pairs, threshold), encoding="utf-8")
    (results / "similarity.csv").write_text(table(pairs), encoding="utf-8")
    return pairs
