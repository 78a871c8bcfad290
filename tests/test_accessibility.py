"""The book for every reader: its pages in Debian's Chromium with axe-core.

The built book (`_build/html`, or NNCOURSE_BOOK_HTML) is served on 127.0.0.1
and each of its pages, with every fold opened and the launch menu shown, has
no serious or critical axe-core violation (WCAG 2.x A/AA and axe's best
practices), and every image of its article has alt text; the first page and a
chapter are checked in the dark theme too. On every chapter page Tab reaches
the launch button and every fold (the answers, the set-up cell's install
fallback); Enter and Space open a fold, a fold's button is named by the
prompt it shows, and Enter opens the launch menu, whose links Tab reaches and
Enter follows to the chapter's exercise notebook. tests/test_book_exercises.py
makes the same axe and alt-text check of every page of the exercises edition.
"""

from __future__ import annotations

import pytest

from nncourse.preprocessors.book import FoldInstallFallback
from tests.accessibility import (
    LAUNCH_BUTTON,
    SAME_STYLE,
    axe_violations,
    built_pages,
    html_pages,
    load,
    page_problems,
)
from tests.browser import HTML
from tests.conftest import chapter_ids

pytestmark = pytest.mark.browser

PAGES = html_pages()
CHAPTERS = chapter_ids()
INSTALL_PROMPT = FoldInstallFallback.PROMPTS["code_prompt_show"]
ANSWER_PROMPT = "Show code cell source"
OUTSIDE = "<!doctype html><title>outside the book</title>"


def chapter_page(chapter: str) -> str:
    return f"solutions/{chapter}/{chapter}.html"


def new_tab(browser, site: str, mode: str = "light"):
    """A page in a fresh context; a request that leaves the book is answered
    with a stub page, so that a launch link can be followed offline."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    # pydata-sphinx-theme's choice of theme, as its switch stores it
    context.add_init_script(
        f"localStorage.setItem('mode', '{mode}');"
        f"localStorage.setItem('theme', '{mode}');"
    )

    def route(route):
        if route.request.url.startswith(site + "/"):
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body=OUTSIDE)

    context.route("**/*", route)
    return context.new_page()


@pytest.fixture
def tab(browser, site):
    page = new_tab(browser, site)
    try:
        yield page
    finally:
        page.context.close()


# -- axe and alt text, every page ---------------------------------------------------


def test_the_checks_cover_every_page_of_the_build():
    assert built_pages(HTML) == sorted(PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_axe_violation_and_figures_have_alt_text(tab, site, path):
    problems = page_problems(tab, site, path)
    assert problems is None, problems


@pytest.mark.parametrize("path", [PAGES[0], chapter_page(CHAPTERS[1])])
def test_the_dark_theme_too(browser, site, path):
    page = new_tab(browser, site, "dark")
    try:
        problems = page_problems(page, site, path)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    finally:
        page.context.close()
    assert problems is None, problems


def code_page(*blocks: tuple[str, str]) -> str:
    """A page of code blocks, each (background, tokens)."""
    body = "".join(
        f"<div class='highlight' style='background:{background}'><pre>{tokens}</pre>"
        "</div>"
        for background, tokens in blocks
    )
    return f"<!doctype html><html lang='en'><title>code</title><main>{body}</main>"


def contrast_failures(tab) -> list:
    return [
        node["target"]
        for violation in axe_violations(tab)
        if violation["id"] == "color-contrast"
        for node in violation["nodes"]
    ]


def test_each_style_of_code_token_is_checked_for_contrast(tab):
    """The contrast of a code token is checked once per page for each style
    and background, so a token set apart by either is checked wherever it
    stands: here the 150th of 300 tokens, which only its colour sets apart,
    and the first token of a block on a dark background."""
    token = "<span class='n' style='color:#222'>weight</span> "
    faint = "<span class='n' id='faint' style='color:#ddd'>bias</span> "
    dark = "<span class='n' id='dark' style='color:#222'>weight</span> "
    tab.set_content(
        code_page(("#fff", token * 149 + faint + token * 150), ("#333", dark + token))
    )
    assert contrast_failures(tab) == [["#faint"], ["#dark"]]
    marked = tab.evaluate(f"document.querySelectorAll('[{SAME_STYLE}]').length")
    assert marked == 299  # all tokens but the first of each style and background

    tab.set_content(code_page(("#fff", token * 300)))
    assert contrast_failures(tab) == []


def test_a_style_axe_cannot_judge_on_its_first_token_is_checked_on_every_one(tab):
    """axe does not fail a one-letter text (it reports it as undecided), nor
    text that something covers: where the first token of a style is such a
    case, the tokens after it are checked all the same."""
    faint = "<span class='n' {}style='color:#ddd;position:relative'>{}</span> "
    ID = "id='checked' "
    cover = (  # over the token's own box: axe cannot tell its background
        "<i style='position:absolute;left:0;top:0;width:100%;height:100%;"
        "background:#fff;opacity:.5'></i>"
    )
    tab.set_content(code_page(("#fff", faint.format("", "x") + faint.format(ID, "xs"))))
    assert contrast_failures(tab) == [["#checked"]]
    covered = faint.format("", "weights" + cover) + faint.format(ID, "bias")
    tab.set_content(code_page(("#fff", covered)))
    assert contrast_failures(tab) == [["#checked"]]


# -- the keyboard, every chapter ------------------------------------------------------

MARK_TARGETS = """selector => {
  window.reached = new Set();
  const targets = [...document.querySelectorAll(selector)];
  targets.forEach((target, index) => { target.dataset.keyboardTarget = index; });
  document.addEventListener('focusin', event => {
    const index = event.target.dataset.keyboardTarget;
    if (index !== undefined) window.reached.add(Number(index));
  });
  return targets.map((target, index) => {
    const name = target.getAttribute('aria-label')
      || target.textContent.trim().split('\\n')[0];
    return `#${index + 1} ${name}`;
  });
}"""


def unreached_by_tab(page, selector: str, presses: int = 600) -> list[str]:
    """Press Tab from the top of the page until focus has been on every
    element ``selector`` matches; those it never reached."""
    targets = page.evaluate(MARK_TARGETS, selector)
    assert targets, f"nothing on the page matches {selector}"
    for _ in range(0, presses, 20):
        for _ in range(20):
            page.keyboard.press("Tab")
        reached = set(page.evaluate("[...window.reached]"))
        if len(reached) == len(targets):
            break
    return [target for index, target in enumerate(targets) if index not in reached]


def opens_from_the_keyboard(page, prompt: str, key: str) -> str:
    """Focus the first fold whose button shows ``prompt``, press ``key``;
    the code it unfolds."""
    fold = page.locator(".bd-article details").filter(has_text=prompt).first
    summary, code = fold.locator("summary"), fold.locator(".cell_input pre")
    assert summary.get_attribute("aria-label") is None, "a label hides the prompt"
    assert not code.is_visible(), f"{prompt!r}: the fold is open already"
    summary.focus()
    page.keyboard.press(key)
    code.wait_for(state="visible", timeout=5000)
    return code.inner_text()


def launch_from_the_keyboard(page) -> tuple[list[str], str]:
    """Enter on the launch button, Tab through its menu; the links' addresses
    and the address Enter on the last one opens."""
    page.locator(LAUNCH_BUTTON).focus()
    page.keyboard.press("Enter")
    menu = page.locator(".dropdown-launch-buttons .dropdown-menu")
    menu.wait_for(state="visible", timeout=5000)
    links = []
    for _ in range(menu.locator("a").count()):
        page.keyboard.press("Tab")
        links.append(page.evaluate("document.activeElement.href"))
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    opened.value.wait_for_load_state()
    return links, opened.value.url


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_folds_and_launch_buttons_work_from_the_keyboard(tab, site, chapter):
    load(tab, site, chapter_page(chapter))
    unreached = unreached_by_tab(tab, f"{LAUNCH_BUTTON}, .bd-article summary")
    assert not unreached, f"Tab never reaches {unreached}"

    install = opens_from_the_keyboard(tab, INSTALL_PROMPT, "Enter")
    assert "except ModuleNotFoundError:" in install
    answer = opens_from_the_keyboard(tab, ANSWER_PROMPT, " ")
    assert answer.strip(), "the first answer unfolds empty"

    links, opened = launch_from_the_keyboard(tab)
    exercise = f"notebooks/{chapter}/{chapter}.ipynb"
    assert len(links) == 3 and all(exercise in link for link in links), links
    assert opened == links[-1]
