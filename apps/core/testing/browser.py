"""A real browser for tests: Debian's Chromium driven by Playwright, against pytest-django's live server.

Screenshots land in `REVENGE_SCREENSHOT_DIR` (default `.screenshots/` at the repository root) so a person can look
at the pages a test saw.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str:
    """The system Chromium (installed by .ci/run); Playwright's own downloads are never used."""
    for candidate in (os.environ.get("REVENGE_CHROMIUM", ""), *CHROMIUM_PATHS, shutil.which("chromium") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError("no Chromium found: apt-get install chromium (or set REVENGE_CHROMIUM)")


@contextmanager
def chromium() -> Iterator[Browser]:
    # The Playwright loop runs in this thread; the test's own ORM calls are still synchronous and safe. Only while
    # the browser runs: the flag must not leak into later tests (the deploy check refuses it).
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def screenshot(page: Page, name: str) -> Path:
    folder = Path(os.environ.get("REVENGE_SCREENSHOT_DIR") or ROOT / ".screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
