"""The student's JupyterLab, in a real browser (Chromium through Playwright).

The test starts the students' JupyterLab the way `make lab` does (the target
`lab-server`, with the course's nbgrader settings and without the instructor's
tools) on 127.0.0.1, with a temporary root holding two copies of chapter 1's
exercise notebook: the release as students get it, and the release with every
answer filled in from solutions/. (nbgrader's Validate saves the notebook, so
the tests never open the committed files.) In each, it runs all cells and
clicks Validate: the release stops at the first exercise with
NotImplementedError and fails validation in its test cells; the filled-in
notebook runs through and validates clean.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.autograding import solution_cells, submission
from tests.browser import chromium
from tests.conftest import REPO
from tests.helpers import free_port, wait_for

pytestmark = pytest.mark.browser

CHAPTER = "01-modules"
NOTEBOOK = f"{CHAPTER}/{CHAPTER}.ipynb"
RELEASE = f"notebooks/{NOTEBOOK}"
FILLED = f"filled/{NOTEBOOK}"
#: Generous limits for a busy 2-core machine; every wait polls.
START_TIMEOUT = 90
RUN_TIMEOUT = 180_000  # ms


def nbgrader_role(cell) -> str | None:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("solution"):
        return "solution"
    if meta.get("grade") and cell.cell_type == "code":
        return "test"
    return None


class Lab:
    """A running JupyterLab: its base URL, token and REST API."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root, self.log = root, log
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        lab_args = (
            f"--no-browser --ip=127.0.0.1 --port={self.port} "
            f"--IdentityProvider.token={self.token}"
        )
        # Lab state of this run only: settings, workspaces, runtime files.
        env = dict(
            os.environ,
            JUPYTERLAB_SETTINGS_DIR=str(root / ".lab" / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(root / ".lab" / "workspaces"),
            JUPYTER_RUNTIME_DIR=str(root / ".lab" / "runtime"),
        )
        command = [
            "make",
            "-s",
            "--no-print-directory",
            "-C",
            str(REPO),
            "lab-server",
            f"BIN={Path(sys.executable).parent}",
            f"LAB_ROOT={root}",
            f"LAB_ARGS={lab_args}",
        ]
        with open(log, "wb") as output:
            # Its own process group: make, JupyterLab and its kernels end together.
            self.process = subprocess.Popen(
                command,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def api(self, path: str):
        url = f"{self.base}{path}{'&' if '?' in path else '?'}token={self.token}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)

    def end_sessions(self, path: str) -> None:
        """Shut down the kernel sessions of ``path``, so a reload starts anew."""
        for session in self.api("/api/sessions"):
            if session["path"] == path:
                url = f"{self.base}/api/sessions/{session['id']}?token={self.token}"
                request = urllib.request.Request(url, method="DELETE")
                urllib.request.urlopen(request, timeout=10).close()

    def status(self, path: str) -> int:
        try:
            with urllib.request.urlopen(f"{self.base}{path}?token={self.token}"):
                return 200
        except urllib.error.HTTPError as error:
            return error.code

    def wait(self, what: str, condition, timeout: float = START_TIMEOUT):
        """Poll ``condition`` until it returns something true."""
        return wait_for(what, condition, timeout, self.tail, self.process)

    def kernel_ready(self, path: str) -> bool:
        """The notebook's kernel is idle and the page is connected to it (the
        idle indicator shows earlier, and a Run All before this is lost)."""
        for session in self.api("/api/sessions"):
            kernel = session["kernel"]
            if session["path"] == path and kernel["execution_state"] == "idle":
                return kernel["connections"] >= 1
        return False

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, fashion_mnist_root, browser):
    """JupyterLab on a temporary root (after the browser, which may be missing)."""
    root = tmp_path_factory.mktemp("lab")
    for path, notebook in (
        (RELEASE, nbformat.read(REPO / RELEASE, 4)),
        (FILLED, submission(CHAPTER, solution_cells(CHAPTER))),
    ):
        (root / path).parent.mkdir(parents=True)
        nbformat.write(notebook, root / path)
    lab = Lab(root, tmp_path_factory.mktemp("lab-log") / "jupyterlab.log")
    try:
        lab.wait("JupyterLab to answer", lambda: lab.api("/api/status"))
        yield lab
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


CELL_STATES = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
.map(cell => ({
  code: cell.classList.contains('jp-CodeCell'),
  prompt: (cell.querySelector('.jp-InputPrompt')?.textContent || '').trim(),
  error: [...cell.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
    .map(output => output.textContent).join('\\n'),
}))"""


def open_and_run_all(lab: Lab, page, path: str) -> list[dict]:
    """Open ``path``, wait for its kernel, run all cells and wait until the
    run has stopped; returns each cell's prompt and error output."""
    # jupyter_server now and then drops the page's first kernel websocket (an
    # AttributeError in select_subprotocol while the kernel starts), and the
    # page never connects: end that kernel and load the page again, up to
    # three times.
    for attempt in range(3):
        page.goto(f"{lab.base}/lab/tree/{path}?token={lab.token}&reset")
        page.locator(".jp-NotebookPanel").first.wait_for(timeout=RUN_TIMEOUT)
        try:
            lab.wait(
                f"the kernel of {path}",
                lambda: lab.kernel_ready(path),
                timeout=START_TIMEOUT / 2,
            )
            break
        except pytest.fail.Exception:
            if attempt == 2:
                raise
            lab.end_sessions(path)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()
    # Done: nothing queued or running, and either an error stopped the run or
    # the last code cell has run.
    page.wait_for_function(
        f"""() => {{
          const cells = ({CELL_STATES})().filter(cell => cell.code);
          if (cells.some(cell => cell.prompt.includes('*'))) return false;
          return cells.some(cell => cell.error)
              || /\\[\\d+\\]/.test(cells[cells.length - 1].prompt);
        }}""",
        timeout=RUN_TIMEOUT,
        polling=250,
    )
    return page.evaluate(CELL_STATES)


def validate(page) -> tuple[str, str]:
    """Click nbgrader's Validate; returns the result dialog's class and text."""
    page.locator(".jp-Toolbar .validate-button").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Validation Results").wait_for(timeout=RUN_TIMEOUT)
    message = dialog.locator("#validation-message")
    message.wait_for(timeout=RUN_TIMEOUT)
    return message.get_attribute("class") or "", message.inner_text()


def test_student_lab_has_validate_but_no_instructor_tools(page, lab):
    page.goto(f"{lab.base}/lab/tree/{RELEASE}?token={lab.token}&reset")
    page.locator(".jp-NotebookPanel .jp-Toolbar .validate-button").wait_for()
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Nbgrader" not in menus, menus
    assert lab.status("/formgrader") == 404
    assert not page.get_by_text("Create Assignment").count()


def test_release_stops_at_the_first_exercise_and_fails_validation(page, lab):
    notebook = nbformat.read(REPO / RELEASE, 4)
    roles = [nbgrader_role(cell) for cell in notebook.cells]
    first_answer = roles.index("solution")
    first_test = roles.index("test", first_answer)

    cells = open_and_run_all(lab, page, RELEASE)
    assert len(cells) == len(notebook.cells)
    failed = [index for index, cell in enumerate(cells) if cell["error"]]
    assert failed, "no cell shows an error after Run All"
    assert first_answer <= failed[0] <= first_test, (
        f"the first error is in cell {failed[0]}, not in the first exercise "
        f"(cells {first_answer}-{first_test})"
    )
    assert "NotImplementedError" in cells[failed[0]]["error"]

    kind, text = validate(page)
    assert "validation-failed" in kind, text
    tests = [cell for cell in notebook.cells if nbgrader_role(cell) == "test"]
    assert text.count("NotImplementedError") >= len(tests), text
    for cell in tests:  # every test cell is listed as failing
        assert cell.source.strip().splitlines()[-1].strip() in text, (
            f"Validate does not list the failing test cell {cell.metadata.nbgrader}"
        )


def test_filled_in_notebook_runs_through_and_validates(page, lab):
    cells = open_and_run_all(lab, page, FILLED)
    errors = {index: cell["error"] for index, cell in enumerate(cells) if cell["error"]}
    assert not errors, f"errors after Run All: {errors}"
    kind, text = validate(page)
    assert "validation-success" in kind, text
    assert "Success! Your notebook passes all the tests." in text
