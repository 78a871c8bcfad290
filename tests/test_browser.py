"""The rendered book in a real browser: Debian's Chromium through Playwright.

The tests serve the built book (`_build/html`, or NNCOURSE_BOOK_HTML) on
127.0.0.1 and block every request that leaves it. For the index, every page of
the table of contents and every chapter: the page loads with no console error
and no failed request, MathJax has rendered its math, and its images load. On
each chapter page a folded answer opens on a click, the launch links open that
chapter's exercise notebook, the download is the exercise notebook, and the
previous/next links follow the table of contents. Search for CrossEntropyLoss
finds the loss chapter. A full-page screenshot of each chapter page is saved in
test-artifacts/screenshots/.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import nbformat
import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from nncourse.preprocessors import SOLUTION_MARKER
from tests.browser import SCREENSHOTS, Watcher
from tests.conftest import REPO, chapter_ids

pytestmark = pytest.mark.browser

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
CHAPTERS = chapter_ids()
LOSS_CHAPTER = "solutions/04-loss/04-loss.html"


def toc_pages() -> list[str]:
    """The book's pages in reading order, as paths in _build/html."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]] + [
        entry["file"] for part in toc.get("parts", []) for entry in part["chapters"]
    ]
    return [f"{file}.html" for file in files]


PAGES = toc_pages()


def chapter_page(chapter: str) -> str:
    return f"solutions/{chapter}/{chapter}.html"


def launch_link_problems(links: dict[str, str], chapter: str) -> list[str]:
    """What is wrong with a chapter page's launch links ({button text: URL}):
    each must open notebooks/CHAPTER/CHAPTER.ipynb of the configured repository."""
    notebook = f"notebooks/{chapter}/{chapter}.ipynb"
    repository = CONFIG["repository"]
    repo_url = repository["url"].rstrip("/")
    org, name = repo_url.split("/")[-2:]
    branch = repository["branch"]
    launch = {
        key: str(value).rstrip("/") for key, value in CONFIG["launch_buttons"].items()
    }
    problems = []
    for provider in ("Binder", "JupyterHub", "Colab"):
        url = links.get(provider)
        if url is None:
            problems.append(f"no {provider} launch link")
            continue
        parts = urlsplit(url)
        address, query = (
            f"{parts.scheme}://{parts.netloc}{parts.path}",
            parse_qs(parts.query),
        )
        if provider == "Colab":
            expected = (
                f"{launch['colab_url']}/github/{org}/{name}/blob/{branch}/{notebook}"
            )
            ok = url == expected
        elif provider == "Binder":
            ok = (
                address == f"{launch['binderhub_url']}/v2/gh/{org}/{name}/{branch}"
                and (query == {"urlpath": [f"lab/tree/{notebook}"]})
            )
        else:  # nbgitpuller clones the repository into a folder named after it
            ok = (
                address == f"{launch['jupyterhub_url']}/hub/user-redirect/git-pull"
                and (
                    query
                    == {
                        "repo": [repo_url],
                        "branch": [branch],
                        "urlpath": [f"lab/tree/{name}/{notebook}"],
                    }
                )
            )
        if not ok:
            problems.append(
                f"the {provider} link {url} does not open {notebook} of "
                f"{repo_url} at {branch}"
            )
    return problems


# -- fixtures -----------------------------------------------------------------


@contextmanager
def fresh_tab(browser, site):
    """A fresh browser context and page, with a watcher on both."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    watcher = Watcher(context, site)
    page = context.new_page()
    watcher.watch(page)
    try:
        yield page, watcher
    finally:
        context.close()


@pytest.fixture
def tab(browser, site):
    with fresh_tab(browser, site) as (page, watcher):
        yield page, watcher


@pytest.fixture(scope="module", params=CHAPTERS)
def chapter_tab(request, browser, site):
    """(chapter, page, watcher): one tab for the tests of a chapter page,
    which pytest runs one after another (a module-scoped, parametrized
    fixture); each test opens the page unless the tab shows it already, so a
    page is loaded once instead of once per test (about 2 s of CPU each)."""
    with fresh_tab(browser, site) as (page, watcher):
        yield request.param, page, watcher


def on_chapter_page(chapter_tab, site) -> tuple:
    """The chapter's page, loaded in its tab if it is not there: (page, watcher)."""
    chapter, page, watcher = chapter_tab
    path = chapter_page(chapter)
    if page.url != f"{site}/{path}":
        open_page(page, watcher, site, path)
    return page, watcher


RENDER_MATH = """async () => {
  const math = [...document.querySelectorAll('.math')];
  const ready = () => window.MathJax && MathJax.startup && MathJax.startup.promise;
  for (let i = 0; i < 200 && math.length && !ready(); i++)
    await new Promise(resolve => setTimeout(resolve, 50));
  if (!math.length || !ready()) return {math: math.length, loaded: Boolean(ready())};
  await MathJax.startup.promise;
  return {
    math: math.length, loaded: true,
    raw: math.filter(e => !e.querySelector('mjx-container'))
             .map(e => e.textContent.slice(0, 60)),
    errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent),
  };
}"""

#: How long a page may take to finish its requests (ms): a CI run once
#: timed out at Playwright's 30 s, with the two cores shared by five processes.
SETTLE_MS = 90_000

BROKEN_IMAGES = """() => [...document.images]
  .filter(image => !image.complete || image.naturalWidth === 0)
  .map(image => image.getAttribute('src'))"""


def open_page(page, watcher, site, path, settle: bool = False) -> dict:
    """Load ``path`` and let MathJax finish; return the math statistics.
    With ``settle``, also wait until the network is idle, so that late requests
    (fonts, lazy MathJax parts) are checked too. Fails on any console error or
    failed request. The root index.html redirects to the first page."""
    page.goto(f"{site}/{path}", wait_until="load")
    if path == "index.html":
        page.wait_for_url(f"{site}/{PAGES[0]}")
        page.wait_for_load_state("load")
    math = page.evaluate(RENDER_MATH)
    if settle:
        try:
            page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
        except PlaywrightTimeoutError:
            # taken here, so that they are not blamed on the tab's next test
            problems = watcher.take()
            pytest.fail(
                f"{path}: requests were still open after {SETTLE_MS // 1000} s "
                f"(or kept starting): {sorted(watcher.open_requests.values())}"
                + "".join(f"\n{problem}" for problem in problems)
            )
    problems = watcher.take()
    assert not problems, f"{path}:\n" + "\n".join(problems)
    broken = page.evaluate(BROKEN_IMAGES)
    assert not broken, f"{path}: images that did not load: {broken}"
    return math


# -- every page -----------------------------------------------------------------


def check_page(page, watcher, site, path) -> None:
    """``path`` loads cleanly (its late requests too) and shows its math
    rendered; a chapter page leaves a full-page screenshot."""
    math = open_page(page, watcher, site, path, settle=True)
    if path in ("index.html", PAGES[0]) or path.startswith("solutions/"):
        assert math["math"] > 0, f"{path} was expected to show math"
    if math["math"]:
        assert math["loaded"], f"{path}: MathJax did not load"
        assert not math["raw"], f"{path}: math left unrendered: {math['raw']}"
        assert not math["errors"], f"{path}: MathJax errors: {math['errors']}"
    if path.startswith("solutions/"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=SCREENSHOTS / f"{Path(path).stem}.png",
            full_page=True,
            animations="disabled",
        )


#: Every page but the chapters', which test_chapter_page_loads_cleanly checks in
#: the tab that the other tests of a chapter page go on with.
OTHER_PAGES = [
    path
    for path in ["index.html", *PAGES, "genindex.html"]
    if not path.startswith("solutions/")
]


@pytest.mark.parametrize("path", OTHER_PAGES)
def test_page_loads_cleanly_and_renders_its_math(tab, site, path):
    page, watcher = tab
    check_page(page, watcher, site, path)


# -- chapter pages --------------------------------------------------------------


def first_answer(chapter: str) -> str:
    """The first line of the chapter's first answer, as the book shows it."""
    source = nbformat.read(REPO / "solutions" / chapter / f"{chapter}.ipynb", 4)
    for cell in source.cells:
        if (
            cell.metadata.get("nbgrader", {}).get("solution")
            and cell.cell_type == "code"
        ):
            lines = [line for line in cell.source.splitlines() if line.strip()]
            return next(line for line in lines if not SOLUTION_MARKER.match(line))
    raise AssertionError(f"{chapter} has no exercise")


def test_chapter_page_loads_cleanly(chapter_tab, site):
    """The first test of a chapter's tab: the page, loaded as every other
    page is checked."""
    chapter, page, watcher = chapter_tab
    check_page(page, watcher, site, chapter_page(chapter))


def test_the_checks_cover_every_chapter_page():
    chapters = [path for path in PAGES if path.startswith("solutions/")]
    assert chapters == [chapter_page(chapter) for chapter in CHAPTERS]


def test_answer_is_folded_and_opens_on_click(chapter_tab, site):
    chapter = chapter_tab[0]
    page, watcher = on_chapter_page(chapter_tab, site)
    # the first fold whose button says so: the set-up cell's install
    # fallback is folded too, under its own prompt
    answers = page.locator("details.hide.above-input")
    answer = answers.filter(has_text="Show code cell source").first
    code = answer.locator(".cell_input pre")
    assert not code.is_visible(), "the first answer is not folded"
    answer.locator("summary").click()
    code.wait_for(state="visible", timeout=5000)
    assert answer.get_attribute("open") is not None
    assert first_answer(chapter) in code.inner_text()
    problems = watcher.take()
    assert not problems, "\n".join(problems)


def test_launch_links_and_download_are_the_exercise_version(chapter_tab, site):
    chapter = chapter_tab[0]
    page, watcher = on_chapter_page(chapter_tab, site)
    page.locator(".dropdown-launch-buttons button").click()
    items = page.locator(".dropdown-launch-buttons a")
    items.first.wait_for(state="visible", timeout=5000)
    links = {
        item.inner_text().strip(): item.get_attribute("href") for item in items.all()
    }
    problems = launch_link_problems(links, chapter)
    assert not problems, "\n".join(problems)
    assert (REPO / "notebooks" / chapter / f"{chapter}.ipynb").is_file()

    download = page.locator(".dropdown-download-buttons a.btn-download-source-button")
    url = urljoin(page.url, download.get_attribute("href"))
    response = page.request.get(url)
    assert response.ok, f"the download {url} answers {response.status}"
    release = REPO / "notebooks" / chapter / f"{chapter}.ipynb"
    assert response.body() == release.read_bytes(), f"{url} is not {release}"
    problems = watcher.take()
    assert not problems, "\n".join(problems)


def test_previous_and_next_follow_the_table_of_contents(chapter_tab, site):
    """The last test of a chapter's tab: it follows the next link away."""
    path = chapter_page(chapter_tab[0])
    here = PAGES.index(path)
    page, watcher = on_chapter_page(chapter_tab, site)
    for link, expected in (
        ("a.left-prev", PAGES[here - 1]),
        ("a.right-next", PAGES[here + 1]),
    ):
        href = urljoin(page.url, page.locator(link).get_attribute("href"))
        assert href == f"{site}/{expected}", f"{link} of {path} leads to {href}"
    page.locator("a.right-next").click()
    # the next page itself is checked by its own test: its address will do
    page.wait_for_url(f"{site}/{PAGES[here + 1]}", wait_until="commit", timeout=10_000)
    problems = watcher.take()
    assert not problems, "\n".join(problems)


def test_search_finds_the_loss_chapter(tab, site):
    page, watcher = tab
    page.goto(f"{site}/search.html?q=CrossEntropyLoss")
    results = page.locator("#search-results")
    results.get_by_text("Search finished").wait_for(timeout=30_000)
    hits = [
        urljoin(page.url, href).split("?")[0].split("#")[0]
        for href in results.locator("ul.search li a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
    ]
    assert f"{site}/{LOSS_CHAPTER}" in hits, f"search hits: {hits}"
    problems = watcher.take()
    assert not problems, "\n".join(problems)


# -- the checks themselves (no browser) -------------------------------------------


def good_links(chapter: str) -> dict[str, str]:
    notebook = f"notebooks/{chapter}/{chapter}.ipynb"
    repo = "https://github.com/nncourse/neural-networks-with-pytorch"
    return {
        "Binder": "https://mybinder.org/v2/gh/nncourse/neural-networks-with-pytorch/"
        f"main?urlpath=lab/tree/{notebook}",
        "JupyterHub": "https://hub.example.org/hub/user-redirect/git-pull?repo="
        f"{repo.replace(':', '%3A')}&urlpath=lab/tree/neural-networks-with-pytorch/"
        f"{notebook}&branch=main",
        "Colab": "https://colab.research.google.com/github/nncourse/"
        f"neural-networks-with-pytorch/blob/main/{notebook}",
    }


def test_launch_check_accepts_the_exercise_links():
    assert CONFIG["repository"]["url"].endswith("nncourse/neural-networks-with-pytorch")
    assert CONFIG["launch_buttons"]["jupyterhub_url"] == "https://hub.example.org"
    assert launch_link_problems(good_links("01-modules"), "01-modules") == []


def test_launch_check_rejects_source_links_and_missing_buttons():
    source_links = {
        provider: url.replace("notebooks/", "solutions/")
        for provider, url in good_links("01-modules").items()
    }
    assert len(launch_link_problems(source_links, "01-modules")) == 3
    other_chapter = launch_link_problems(good_links("02-layers"), "01-modules")
    assert len(other_chapter) == 3
    links = good_links("01-modules")
    del links["JupyterHub"]
    links["Binder"] = links["Binder"].replace("/main?", "/dev?")
    assert launch_link_problems(links, "01-modules") == [
        f"the Binder link {links['Binder']} does not open "
        "notebooks/01-modules/01-modules.ipynb of "
        "https://github.com/nncourse/neural-networks-with-pytorch at main",
        "no JupyterHub launch link",
    ]
