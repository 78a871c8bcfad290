"""Links in the built book: local links checked offline, external ones listed.

:func:`broken_local_links` parses every HTML file of ``_build/html`` with the
standard library and reports each local ``href``/``src`` whose file is missing
and each ``#anchor`` that names no element of its page; the tests run it.
:func:`external_links` lists the links that leave the book, for
``nncourse links`` (``--check`` requests them: needs the internet, so it is not
part of the tests).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Attributes that load or link to another resource, by tag.
LINK_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
    "embed": "src",
}
EXTERNAL_SCHEMES = {"http", "https"}
#: A placeholder that `_config.yml` ships with (see book/instructors.md).
PLACEHOLDER_HOSTS = r"^https://hub\.example\.org/"


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(name):
                self.page.ids.add(attributes[name])
        target = attributes.get(LINK_ATTRIBUTES.get(tag, ""))
        if target:
            self.page.links.append(target)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            match = re.search(
                r"url\s*=\s*['\"]?([^'\"]+)", attributes.get("content", "")
            )
            if match:
                self.page.links.append(match.group(1).strip())

    handle_startendtag = handle_starttag


def parse_page(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


def scan(html_root: Path) -> dict[Path, Page]:
    """Every page under ``html_root`` with its ids and links. Files in
    ``_static/`` are the theme's assets (its Jinja macros), not pages."""
    root = Path(html_root)
    return {
        path: parse_page(path)
        for path in sorted(root.rglob("*.html"))
        if path.relative_to(root).parts[0] != "_static"
    }


def is_external(link: str) -> bool:
    parts = urlsplit(link)
    return parts.scheme in EXTERNAL_SCHEMES or (not parts.scheme and bool(parts.netloc))


def broken_local_links(html_root: Path) -> list[str]:
    """``page: link (why)`` for each local link whose file or anchor is missing."""
    root = Path(html_root).resolve()
    pages = scan(root)
    problems = []
    for page_path, page in pages.items():
        name = page_path.relative_to(root)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external, mailto:, javascript:, data: ...
            if parts.path:
                target = (page_path.parent / unquote(parts.path)).resolve()
            else:
                target = page_path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root):
                problems.append(f"{name}: {link} (points outside the book)")
            elif not target.is_file():
                problems.append(f"{name}: {link} (no file {target.relative_to(root)})")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse_page(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(
                        f"{name}: {link} (no id {parts.fragment!r} in "
                        f"{target.relative_to(root)})"
                    )
    return problems


def external_links(html_root: Path) -> dict[str, list[str]]:
    """Each external URL with the pages (relative paths) that link to it."""
    root = Path(html_root).resolve()
    found: dict[str, set[str]] = defaultdict(set)
    for page_path, page in scan(root).items():
        for link in page.links:
            if is_external(link):
                found[link].add(str(page_path.relative_to(root)))
    return {url: sorted(pages) for url, pages in sorted(found.items())}


def request_status(url: str, timeout: float = 20.0) -> str | None:
    """None when ``url`` answers (HEAD, else GET) with a status below 400."""
    headers = {"User-Agent": "Mozilla/5.0 (nncourse link check)"}
    error = "no answer"
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as exc:
            error = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            error = str(getattr(exc, "reason", exc))
    return error


def report(html: Path, check: bool = False, ignore: str = PLACEHOLDER_HOSTS) -> int:
    """``nncourse links``: print the external links of the book in ``html``;
    with ``check``, request each one not matching ``ignore``."""
    if not (html / "index.html").is_file():
        print(f"{html}/index.html is missing: build the book (`make book`).")
        return 2
    links = external_links(html)
    for url, pages in links.items():
        more = f" (+{len(pages) - 1} more)" if len(pages) > 1 else ""
        print(f"{url}\n    on {pages[0]}{more}")
    print(f"{len(links)} external links.")
    if not check:
        return 0
    urls = [url for url in links if not re.search(ignore, url)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        errors = dict(zip(urls, pool.map(request_status, urls), strict=True))
    broken = {url: error for url, error in errors.items() if error}
    for url, error in broken.items():
        print(f"BROKEN {url}: {error}\n    on {', '.join(links[url])}")
    print(f"Checked {len(urls)} links: {len(broken)} broken.")
    return 1 if broken else 0
