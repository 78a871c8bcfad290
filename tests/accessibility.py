"""axe-core in the course's Chromium, for the accessibility checks of the book
(tests/test_accessibility.py, and tests/test_book_exercises.py on its edition).

axe-core comes with axe-playwright-python (PyPI, pinned in requirements.txt):
its script is injected into the page, so nothing is fetched. A page is checked
as a reader can see it all: MathJax rendered, every fold (``<details>``: the
answers, the set-up cell's install fallback) open and the launch menu shown,
so that their contents are checked too. Only serious and critical violations
fail; the report names the rule, the element and axe's fix for each.
The colour contrast of code tokens is checked once per page for each style
and background they have (:data:`SAME_STYLE`); every other check sees every
element.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import REPO

FAILING_IMPACTS = ("serious", "critical")
#: Pages Sphinx writes beside those of the table of contents.
GENERATED_PAGES = ["index.html", "search.html", "genindex.html"]
LAUNCH_BUTTON = ".dropdown-launch-buttons button.dropdown-toggle"


def html_pages() -> list[str]:
    """Every HTML page of the book, as paths in its output folder: the table
    of contents' pages in reading order, then Sphinx's own."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]] + [
        entry["file"] for part in toc.get("parts", []) for entry in part["chapters"]
    ]
    return [f"{file}.html" for file in files] + GENERATED_PAGES


def built_pages(html: Path) -> list[str]:
    """The HTML pages a build wrote, less Sphinx's copies of sources and
    its static files."""
    return sorted(
        str(path.relative_to(html))
        for path in html.rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(path.relative_to(html).parts)
    )


WAIT_FOR_MATH = """async () => {
  const ready = () => window.MathJax && MathJax.startup && MathJax.startup.promise;
  for (let i = 0; i < 200 && document.querySelector('.math') && !ready(); i++)
    await new Promise(resolve => setTimeout(resolve, 50));
  if (ready()) await MathJax.startup.promise;
}"""

OPEN_EVERYTHING = """() => {
  document.querySelectorAll('details').forEach(fold => { fold.open = true; });
}"""

# A fold fades in over 0.3 s (myst-nb's and sphinx-togglebutton's CSS): axe
# run mid-fade measures a blend of colours and reports a contrast that no
# reader sees. Every finite animation and transition ends first.
ANIMATIONS_DONE = """async () => {
  const finite = document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map(a => a.finished.catch(() => null)));
}"""


def load(page, site: str, path: str) -> None:
    """Open ``path`` as a reader finds it (the root index.html redirects to
    the first page), MathJax done."""
    page.goto(f"{site}/{path}", wait_until="load")
    if path == "index.html":
        page.wait_for_url(f"{site}/{html_pages()[0]}")
        page.wait_for_load_state("load")
    page.evaluate(WAIT_FOR_MATH)


def show_everything(page) -> None:
    """Open every fold and the launch menu, so that axe sees their contents."""
    page.evaluate(OPEN_EVERYTHING)
    launch = page.locator(LAUNCH_BUTTON)
    if launch.count():
        launch.click()
        page.locator(".dropdown-launch-buttons .dropdown-menu").wait_for()
    page.evaluate(ANIMATIONS_DONE)


# Code blocks are most of a chapter page's elements (Pygments gives every
# token its own <span>: about 5,000 of 10,000 on chapter 05), and axe's
# color-contrast rule spends two thirds of its time on them, although a
# token's contrast follows from its style and its block's background alone,
# not from where it stands. Per page, the first element of each style (its
# colour, weight, size, shadow and opacity, the backgrounds under it, and
# whether its text is one character, which axe never fails) stays a
# candidate for the rule; the others are marked with their style's number,
# and the rule's selector (axe.configure: a rule's properties may be
# overridden) skips them. Every other rule still sees every element. Where
# axe cannot judge a style's first element (covered by a button, say), the
# rule runs again on every element of that style.
SAME_STYLE = "data-axe-same-style"
FIRST_OF_STYLE = "data-axe-style"
MARK_REPEATED_CODE_STYLES = """([same, first]) => {
  document.querySelectorAll(`[${same}], [${first}]`).forEach(element => {
    element.removeAttribute(same); element.removeAttribute(first);
  });
  const styles = new Map();
  for (const element of document.querySelectorAll('div.highlight, div.highlight *')) {
    const text = [...element.childNodes]
      .filter(node => node.nodeType === Node.TEXT_NODE)
      .map(node => node.textContent).join('').trim();
    if (!text) continue;
    const key = [text.length === 1];
    for (let e = element; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      key.push(style.backgroundColor, style.backgroundImage, style.opacity);
      if (e === element) key.push(style.color, style.fontSize, style.fontWeight,
                                  style.textShadow, style.webkitTextFillColor);
    }
    const id = key.join('|');
    if (styles.has(id)) { element.setAttribute(same, styles.get(id)); continue; }
    styles.set(id, String(styles.size));
    element.setAttribute(first, styles.get(id));
  }
}"""
CONFIGURE = """selector => axe.configure(
  {rules: [{id: 'color-contrast', selector: selector}]})"""
RUN = "options => axe.run(document, options)"
UNJUDGED_STYLES = """([targets, first]) => [...new Set(targets
  .map(target => document.querySelector(target[target.length - 1]))
  .filter(element => element && element.hasAttribute(first))
  .map(element => element.getAttribute(first)))]"""
UNMARK = """([same, styles]) => styles.forEach(style =>
  document.querySelectorAll(`[${same}="${style}"]`)
    .forEach(element => element.removeAttribute(same)))"""


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is, each
    style of code token checked for contrast once where axe can judge it."""
    page.evaluate(Axe().axe_script)
    page.evaluate(MARK_REPEATED_CODE_STYLES, [SAME_STYLE, FIRST_OF_STYLE])
    page.evaluate(CONFIGURE, f"*:not([{SAME_STYLE}])")
    response = page.evaluate(RUN, {"resultTypes": ["violations", "incomplete"]})
    undecided = [
        node["target"]
        for result in response["incomplete"]
        if result["id"] == "color-contrast"
        for node in result["nodes"]
    ]
    if styles := page.evaluate(UNJUDGED_STYLES, [undecided, FIRST_OF_STYLE]):
        page.evaluate(UNMARK, [SAME_STYLE, styles])
        contrast = page.evaluate(
            RUN,
            {
                "runOnly": {"type": "rule", "values": ["color-contrast"]},
                "resultTypes": ["violations"],
            },
        )
        response["violations"] = [
            v for v in response["violations"] if v["id"] != "color-contrast"
        ] + contrast["violations"]
    return [
        violation
        for violation in response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


#: Where the course fixes what a rule finds, for the report.
WHERE_TO_FIX = {
    "image-alt": "a chapter's figure: its cell's metadata mystnb.image.alt",
    "color-contrast": "book/_static's CSS, or the theme's options in _config.yml",
}
ELSEWHERE = "its source: the chapter, book/_static, _config.yml or book/_ext"


def axe_fix(node: dict) -> str:
    """axe's failure summary of an element on one line: what would fix it."""
    head, *items = [line.strip() for line in node.get("failureSummary", "").split("\n")]
    return f"{head} {'; '.join(item for item in items if item)}"[:300]


def report(path: str, violations: list[dict]) -> str:
    """A short summary per page: each rule, its elements and the fix."""
    lines = [f"{path}: {len(violations)} serious or critical axe violation(s)"]
    for violation in violations:
        rule = violation["id"]
        lines.append(
            f"- {rule} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl'].split('?')[0]}>; fix it in "
            f"{WHERE_TO_FIX.get(rule, ELSEWHERE)}"
        )
        for node in violation["nodes"][:5]:
            html = " ".join(node["html"].split())[:160]
            lines.append(f"    {', '.join(map(str, node['target']))}: {html}")
            lines.append(f"      {axe_fix(node)}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


IMAGES_WITHOUT_ALT = """() => [...document.querySelectorAll('.bd-article img')]
  .filter(image => !(image.getAttribute('alt') || '').trim())
  .map(image => image.getAttribute('src'))"""


def page_problems(page, site: str, path: str) -> str | None:
    """What is wrong with a page for readers who do not see it or do not use
    a mouse: axe's serious and critical violations, figures without alt
    text. None when nothing is."""
    load(page, site, path)
    show_everything(page)
    problems = []
    if violations := axe_violations(page):
        problems.append(report(path, violations))
    if images := page.evaluate(IMAGES_WITHOUT_ALT):
        problems.append(f"{path}: images without alt text: {images}")
    return "\n".join(problems) or None
