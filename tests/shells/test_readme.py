"""The README's promises about how to start, and the documents it points to."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT

DOCUMENTS = ("README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")))


def readme_text() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    return re.findall(r"```\n(.+?)\n```", readme_text(), flags=re.S)[:2]


def test_the_readme_opens_with_a_run_command_and_a_test_command():
    run, test = readme_commands()
    assert "flows/select_call.py" in run
    assert "pytest" in test


def test_ci_runs_exactly_the_readmes_test_command():
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_the_readme_names_the_python_version_the_package_requires():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    version = re.fullmatch(r">=(\d+\.\d+)", requires).group(1)
    assert f"Python {version} or later" in readme_text()


def test_the_readme_links_the_user_guide_the_method_and_the_operations_notes():
    linked = set(re.findall(r"\]\((docs/[\w-]+\.md)\)", readme_text()))
    assert {"docs/running.md", "docs/method.md", "docs/operations.md"} <= linked


def test_every_relative_link_of_the_readme_and_the_docs_leads_to_a_file_that_exists():
    for name in DOCUMENTS:
        page = ROOT / name
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{name} links to {target}, which does not exist"


def test_every_command_in_the_readme_and_the_docs_is_written_the_same_way():
    # One way of writing commands throughout: the virtual environment's program, never a bare name.
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        bare = re.findall(r"(?<![\w./\\-])(dtc-select (?:run|diff|verify)|prefect (?:server|deploy|worker|work-pool|deployment|event))",
                          text)
        assert not bare, f"{name} writes {bare} without .venv/bin/"
