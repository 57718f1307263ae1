"""What a run was computed with: the software's versions and the reference tables' hashes."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata

from dtc_select import __version__

LIBRARIES = ("pandas", "pandera", "scikit-criteria", "numpy", "jinja2", "openpyxl", "python-calamine", "pyyaml", "pydantic")


def software_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "dtc-select": __version__}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def reference_data_hashes() -> dict[str, str]:
    from importlib.resources import files

    folder = files("dtc_select") / "reference"
    return {
        entry.name: hashlib.sha256(entry.read_bytes()).hexdigest()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".csv")
    }
