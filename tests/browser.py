"""Debian's Chromium driven by Playwright, for the browser tests.

Playwright comes from PyPI; the browser is Debian's `chromium-headless-shell`
package (`make test` installs it): Chromium's headless mode, the same engine
without the browser's windows, which is what Playwright runs for a headless
Chromium; never a Playwright download. NNCOURSE_CHROMIUM names another
Chromium binary (the full `chromium`, or Chrome).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path(os.environ.get("NNCOURSE_CHROMIUM", "/usr/bin/chromium-headless-shell"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
#: The built book that the book-tier browser tests serve.
HTML = Path(os.environ.get("NNCOURSE_BOOK_HTML", REPO / "_build" / "html"))


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium; fails (never skips) when it is not installed."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"No Chromium at {CHROMIUM}: the browser tests need Debian's "
            "chromium-headless-shell. Install it with `sudo apt-get install "
            "chromium-headless-shell` (`make test` does this as root or with "
            "sudo), or set NNCOURSE_CHROMIUM to a Chromium binary."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()


class Watcher:
    """Records what goes wrong while a page is used: console errors, uncaught
    exceptions, failed requests, HTTP errors, and requests that leave
    ``origin`` (blocked, so that a CDN cannot silently stand in for a missing
    file)."""

    def __init__(self, context, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        self.open_requests: dict[object, str] = {}  # request -> URL, until it ends
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/") or url == self.origin:
            route.continue_()
        else:
            self.problems.append(f"request outside the book: {url}")
            route.abort()

    def watch(self, page) -> None:
        page.on("request", self._opened)
        page.on("requestfinished", self._closed)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"exception: {error}"))
        page.on("requestfailed", self._failed)
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and self.problems.append(f"HTTP {response.status}: {response.url}")
            ),
        )

    def _opened(self, request) -> None:
        self.open_requests[request] = request.url

    def _closed(self, request) -> None:
        self.open_requests.pop(request, None)

    def _failed(self, request) -> None:
        self._closed(request)
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location})")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems
