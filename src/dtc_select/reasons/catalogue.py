"""The reason catalogues: one YAML file per language in `catalogue/` (en.yaml, fr.yaml, ...).

Each file has three parts: `format` (how the language writes numbers, ordinals, dates, regions,
yes and no), the words of eligibility (`field`, `answer`, `wants`) and `reason`, one sentence per
reason key. The languages are the files present: a new language is one new file.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

import yaml

# libyaml's parser (PyYAML's wheels carry it), else the pure-Python one: the same documents,
# and the catalogues are read on every run (the Python parser: about 0.15 s of a small call).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SECTIONS = ("format", "field", "answer", "wants", "reason")


def folder_of_catalogues():
    return files("dtc_select.reasons") / "catalogue"


def languages(folder=None) -> tuple[str, ...]:
    """The languages that have a catalogue, by code, sorted."""
    folder = folder or folder_of_catalogues()
    return tuple(sorted(f.name[:-len(".yaml")] for f in folder.iterdir() if f.name.endswith(".yaml")))


def load(lang: str, folder=None) -> dict:
    """One language's catalogue (`folder`: the package's catalogues by default)."""
    return _load(lang, str(folder) if folder is not None else None)


@functools.cache
def _load(lang: str, folder: str | None) -> dict:
    where = Path(folder) if folder is not None else folder_of_catalogues()
    if lang not in languages(where):
        raise ValueError(f"no reason catalogue for language {lang!r}; known: {', '.join(languages(where))}")
    loaded = yaml.load((where / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}  # noqa: S506
    lacking = [s for s in SECTIONS if not isinstance(loaded.get(s), dict)]
    if lacking:
        raise ValueError(f"reason catalogue {lang}.yaml lacks the sections {lacking}")
    return loaded
