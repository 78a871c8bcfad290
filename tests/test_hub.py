"""JupyterHub and nbgrader's exchange, end to end, in a real browser.

The hub is the course's own (autograder/hub/jupyterhub_config.py and
nbgrader_config.py, the files book/instructors.md shows), started by
tests/hub.py with its proxy from npm, on 127.0.0.1 under a temporary folder.
The instructor releases chapter 01 from a course folder with
``nbgrader release_assignment``. A student logs in through the hub's login
page, fetches the chapter in JupyterLab's Assignments tab, answers one
exercise in the notebook, validates and submits it there. The instructor
collects (``nbgrader collect``), grades (``nncourse grade``, in its sandbox)
and hands the feedback back (``nbgrader release_feedback`` over
``nncourse grade``'s feedback folder); the student fetches it in the
Assignments tab and opens the page, whose score is the answered exercise's
points. Each step leaves a screenshot, and the hub's and the instructor's logs
stay, in the test's temporary folder; a failure names the step and the logs.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

from nncourse.preprocessors.cells import grade_id
from tests.autograding import graded_cells, solution_cells
from tests.browser import chromium
from tests.conftest import REPO
from tests.graded import TIMEOUT, read_csv
from tests.helpers import make_course
from tests.hub import Hub, Instructor, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.grading]

CHAPTER = "01-modules"
STUDENT = "student"
ANSWERED = "predict"  # the one exercise the student answers
#: grade_id -> points of each test cell, in the notebook's order; the
#: answered exercise's test scores its points, the others nothing.
POINTS = graded_cells(CHAPTER)
SCORES = {cell: POINTS[cell] if cell == f"{ANSWERED}-tests" else 0.0 for cell in POINTS}
#: Generous limits for a busy 2-core machine; every wait polls.
HUB_START = 90  # s
UI_TIMEOUT = 180_000  # ms, for whatever runs the notebook or starts a server


def answer() -> str:
    """The model solution of :data:`ANSWERED`, without nbgrader's markers."""
    source = solution_cells(CHAPTER)[ANSWERED]
    return "\n".join(
        line
        for line in source.splitlines()
        if "### BEGIN" not in line and "### END" not in line
    )


def instructor_course(folder: Path) -> Path:
    """The course as the instructor has it: chapter 01's source, specs,
    configuration and committed release (``notebooks/``, what nbgrader's
    ``release_assignment`` publishes)."""
    make_course(folder, CHAPTER)
    shutil.copytree(REPO / "notebooks" / CHAPTER, folder / "notebooks" / CHAPTER)
    return folder


class Steps:
    """Names each step, times it and screenshots the student's browser after
    it (``shot``), and turns its failure into one that names the step, its
    screenshot and the logs. ``steps.txt`` lists the steps' durations."""

    def __init__(self, root: Path, page, logs: list[Path]) -> None:
        self.folder, self.page, self.logs = root / "screenshots", page, logs
        self.folder.mkdir()
        self.times = root / "steps.txt"
        self.count = 0

    @contextmanager
    def step(self, name: str, shot: bool = True) -> Iterator[None]:
        self.count += 1
        label = f"{self.count:02d}-{name}"
        start = time.monotonic()
        try:
            yield
        except (Exception, pytest.fail.Exception) as error:
            path = self.shot(f"{label}-failed")
            logs = ", ".join(map(str, self.logs))
            raise AssertionError(
                f"step {label} failed: {error}\nscreenshot: {path}\nlogs: {logs}"
            ) from error
        finally:
            with open(self.times, "a") as times:
                times.write(f"{label}\t{time.monotonic() - start:.1f} s\n")
        if shot:
            self.shot(label)

    def shot(self, label: str) -> Path:
        path = self.folder / f"{label}.png"
        try:
            self.page.screenshot(path=str(path), full_page=True, timeout=30_000)
        except Exception as error:  # a screenshot never hides the failure
            path = path.with_suffix(".txt")
            path.write_text(f"no screenshot: {error}")
        return path


@pytest.fixture
def hub(tmp_path_factory, fashion_mnist_root) -> Iterator[Hub]:
    hub = Hub(tmp_path_factory.mktemp("hub"), [STUDENT], fashion_mnist_root)
    try:
        hub.wait_ready(HUB_START)
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def page(hub):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.set_default_timeout(UI_TIMEOUT)
        try:
            yield context.new_page()
        finally:
            context.close()


def log_in(page, hub: Hub) -> None:
    """Through the hub's login page, until the student's JupyterLab is up."""
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", STUDENT)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{STUDENT}/lab"))
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for()


def open_assignments(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-item", has_text="Assignment List").click()
    released = page.locator("#released_assignments_list .list_item", has_text=CHAPTER)
    released.wait_for()


def fetch(page, hub: Hub) -> Path:
    released = page.locator("#released_assignments_list .list_item", has_text=CHAPTER)
    released.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=CHAPTER)
    fetched.first.wait_for()
    notebook = hub.home(STUDENT) / CHAPTER / f"{CHAPTER}.ipynb"
    assert notebook.is_file(), f"Fetch put no notebook at {notebook}"
    return notebook


def fill_in(page, notebook: Path, log: Path) -> None:
    """Open the fetched notebook from the Assignments tab, type the answer
    over the answer cell of :data:`ANSWERED`, and save."""
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=CHAPTER)
    fetched.locator(".assignment-notebooks-link").first.click()
    fetched.locator(".nested_list_item a", has_text=CHAPTER).first.click()
    panel = page.locator(".jp-NotebookPanel").first
    cell = panel.locator(".jp-CodeCell", has_text=f"def {ANSWERED}(").first
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(answer())  # as typed, without the editor's indent
    page.keyboard.press("Control+s")

    def saved() -> bool:
        cells = nbformat.read(notebook, 4).cells
        return [c.source for c in cells if grade_id(c) == ANSWERED] == [answer()]

    wait_for(f"the answer to be saved in {notebook}", saved, 60, log)


def validate(page) -> str:
    """Click Validate on the notebook's row; return the dialog's text."""
    page.locator(".lm-TabBar-tab", has_text="Assignments").first.click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=CHAPTER)
    fetched.get_by_role("button", name="Validate").click()
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for()
    return message.inner_text()


def check_validation(text: str) -> None:
    """Every test cell but the answered exercise's fails, and it does not."""
    release = nbformat.read(REPO / "notebooks" / CHAPTER / f"{CHAPTER}.ipynb", 4)
    tests = {grade_id(c): c.source for c in release.cells if grade_id(c) in POINTS}
    listed = {
        cell: source.strip().splitlines()[-1].strip() in text
        for cell, source in tests.items()
    }
    expected = {cell: cell != f"{ANSWERED}-tests" for cell in tests}
    assert listed == expected, f"test cells listed as failing: {listed}\n{text}"


def submit(page, hub: Hub) -> None:
    page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=CHAPTER)
    fetched.get_by_role("button", name="Submit").click()
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=CHAPTER)
    submitted.first.wait_for()
    inbound = hub.exchange / "nncourse" / "inbound"
    # Named by the hub's user, not by the OS user every server runs as.
    found = [path.name for path in inbound.iterdir()]
    assert [name.split("+")[:2] for name in found] == [[STUDENT, CHAPTER]], found


def collect_grade_release(instructor: Instructor) -> None:
    """The instructor's side: collect, grade, hand the feedback back."""
    instructor.run("nbgrader", "collect", CHAPTER)
    instructor.run(
        "nncourse", "grade", "autograder/submitted", "--out", "results",
        "--chapter", CHAPTER, "--workers", "1", "--timeout", str(TIMEOUT),
        "--course", str(instructor.course),
    )  # fmt: skip
    rows = read_csv(instructor.course / "results" / "grades.csv")
    got = {(r["student_id"], r["cell"]): float(r["score"]) for r in rows}
    assert got == {(STUDENT, cell): SCORES[cell] for cell in POINTS}, rows
    # ok, and no word of nbgrader's receipts (timestamp, secret) as extra files
    assert {(r["status"], r["message"]) for r in rows} == {("ok", "")}, rows
    instructor.run(
        "nbgrader", "release_feedback", CHAPTER,
        "--CourseDirectory.feedback_directory=results/feedback",
    )  # fmt: skip


def fetch_feedback(page) -> str:
    """Fetch Feedback in the Assignments tab, open the page from its
    "(view feedback)" link; returns the page's scores."""
    page.locator(".lm-TabBar-tab", has_text="Assignments").first.click()
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=CHAPTER)
    submitted.get_by_role("button", name="Fetch Feedback").click()
    page.get_by_text("(view feedback)").first.click()
    page.locator(".jp-DirListing-item", has_text=f"{CHAPTER}.html").first.dblclick()
    body = page.frame_locator(".jp-HTMLViewer iframe").locator("body")
    body.get_by_text(f"{CHAPTER} (Score:").first.wait_for()
    return body.inner_text()


def test_a_chapter_goes_out_and_comes_back_through_the_hub(hub, page):
    course = instructor_course(hub.root / "course")
    instructor = Instructor(course, hub.exchange, hub.root / "instructor.log")
    steps = Steps(hub.root, page, [hub.log, instructor.log])
    with steps.step("release", shot=False):
        instructor.run("nbgrader", "release_assignment", CHAPTER)
    with steps.step("log-in"):
        log_in(page, hub)
    with steps.step("assignments"):
        open_assignments(page)
    with steps.step("fetch"):
        notebook = fetch(page, hub)
    with steps.step("answer"):
        fill_in(page, notebook, hub.log)
    with steps.step("validate"):
        check_validation(validate(page))
    with steps.step("submit"):
        submit(page, hub)
    with steps.step("collect-grade-release-feedback", shot=False):
        collect_grade_release(instructor)
    with steps.step("feedback"):
        text = fetch_feedback(page)
        total = f"{sum(SCORES.values()):.1f} / {sum(POINTS.values()):.1f}"
        assert f"{CHAPTER} (Score: {total})" in text, text
        cells = re.findall(r"Test cell \(Score: ([\d.]+) / ([\d.]+)\)", text)
        expected = [(f"{SCORES[c]:.1f}", f"{POINTS[c]:.1f}") for c in POINTS]
        assert cells == expected, text
