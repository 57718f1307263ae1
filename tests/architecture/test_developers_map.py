"""DEVELOPERS.md's map of the package names every stage folder and every module in it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "dtc_select"


def _map_block() -> str:
    text = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
    section = text[text.index("## A pure core, thin shells"):]
    return section[section.index("```"):section.index("```", section.index("```") + 3)]


def _listed() -> set[str]:
    """Module paths as the map lists them: a folder line `  name/` then its files indented below."""
    listed, folder = set(), ""
    for line in _map_block().splitlines():
        if m := re.match(r"^  (\w+)/\s", line + " "):
            folder = m.group(1) + "/"
        elif m := re.match(r"^  (\w+\.py)\b", line):
            folder = ""
            listed.add(m.group(1))
        elif m := re.match(r"^    (\w+\.py)\b", line):
            listed.add(folder + m.group(1))
            listed |= {folder + extra for extra in re.findall(r"(\w+\.py) its", line)}
    return listed


def test_the_developers_map_names_every_module_of_the_package_in_its_folder():
    modules = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    listed = _listed()
    assert not modules - listed, f"modules missing from DEVELOPERS.md's map: {sorted(modules - listed)}"
    assert not listed - modules, f"the map names modules that do not exist: {sorted(listed - modules)}"
