"""Debian's headless Chromium, driven by Playwright, for every test of an HTML page we write.

No browser download: .ci/run installs Debian's chromium. The flags keep it off the network (this
machine's network is closed; without them Chromium's background connections are refused by the
dozen). `browser` is registered for every test by tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")  # one Playwright at a time: each test module starts and stops its own
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("DTC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(executable).exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def open_page(browser, html: str, path: Path, *, width: int = 1280, height: int = 1800):
    """The page written to `path` and opened from it; `seen` collects console lines, page errors and
    every request the page makes."""
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height})
    seen = {"console": [], "errors": [], "requests": []}
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, seen


def assert_no_live_markup(page) -> None:
    """Nothing on the page can run or load: no script-like element and no on* handler anywhere."""
    dangerous = page.evaluate("""() => document.querySelectorAll(
        'script, iframe, object, embed, img, link, base, form, input, textarea, details, math, body style').length""")
    assert dangerous == 0
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(
        e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))""")
    assert handlers == []
