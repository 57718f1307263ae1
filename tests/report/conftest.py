"""Fixtures of the report's tests: the example call's outcome, and Debian's headless Chromium
driven by Playwright (no browser download; .ci/run installs chromium)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from dtc_select.pipeline import run
from tests.conftest import EXAMPLES

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")  # one Playwright at a time: each test module starts and stops its own
def browser():
    executable = os.environ.get("DTC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(executable).exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def example_outcome(call):
    """The example call (data/examples), as `dtc-select run` reads it."""
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
