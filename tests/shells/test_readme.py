"""The README's promises about how to start."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(.+?)\n```", text, flags=re.S)[:2]


def test_the_readme_opens_with_a_run_command_and_a_test_command():
    run, test = readme_commands()
    assert "flows/select_call.py" in run
    assert "pytest" in test


def test_ci_runs_exactly_the_readmes_test_command():
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()
