"""Fixtures of the report's tests: the example call's outcome (the browser is tests/browser.py's)."""

from __future__ import annotations

import pytest

from dtc_select.pipeline import run
from tests.conftest import EXAMPLES

@pytest.fixture(scope="session")
def example_outcome(call):
    """The example call (data/examples), as `dtc-select run` reads it."""
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
