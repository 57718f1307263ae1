"""`dtc-select verify` for a monitoring run: rerun it from its manifest.json and compare.

The same checks as a selection run's (`runs.verify`): every recorded input must be found (by its
path as recorded, then its absolute path) with the same SHA-256, or nothing is rerun; the rerun
uses the run's own start time and language, so the tables must be identical byte for byte and
report.html and manifest.json identical apart from when the rerun finished.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from dtc_select.errors import InputFileError
from dtc_select.limits import DEFAULT_LIMITS
from dtc_select.monitoring.outputs import TABLES, TOOL, write_monitoring
from dtc_select.monitoring.pipeline import monitor
from dtc_select.monitoring.view import render_monitoring_report
from dtc_select.runs.verify import (InputChangedError, _comparable_manifest, _first_different_line, _json_differences,
                                    _limited, _sha256)


def monitoring_manifest(folder: str | Path) -> dict | None:
    """The folder's manifest.json if a monitoring run wrote it; else None (a selection run, or none)."""
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("tool") == TOOL else None


def _found(entry: dict) -> tuple[Path | None, str | None]:
    """(the file as recorded, or where it is now; None) or (None, the problem)."""
    path, expected = entry.get("path") or "", entry.get("sha256")
    candidates = [Path(p) for p in dict.fromkeys([path, entry.get("resolved_path") or path]) if p]
    existing = [c for c in candidates if c.is_file()]
    matching = [c for c in existing if _sha256(c) == expected]
    if matching:
        return matching[0], None
    if existing:
        return None, f"{entry.get('role')} {path}: changed since the run"
    return None, f"{entry.get('role')} {path}: missing (looked for {' and '.join(map(str, candidates))})"


def verify_monitoring(folder: str | Path, manifest: dict) -> tuple[str, int]:
    """(what to print, exit status: 0 reproduced, 1 not); InputChangedError when an input moved on."""
    folder = Path(folder)
    found = [(entry.get("role"), *_found(entry)) for entry in manifest.get("inputs") or []]
    problems = [problem for _, _, problem in found if problem]
    if problems:
        raise InputChangedError(folder / "manifest.json", "cannot rerun: " + "; ".join(problems))
    programme = next((path for role, path, _ in found if role == "programme"), None)
    if programme is None:
        raise InputChangedError(folder / "manifest.json", "cannot rerun: programme: not recorded in the manifest")
    try:
        started_at = dt.datetime.fromisoformat(manifest["started_at"])
        as_of = dt.date.fromisoformat(manifest["as_of"])
    except (KeyError, TypeError, ValueError):
        raise InputFileError(folder / "manifest.json", "started_at or as_of is missing or not a date") from None
    lang = (manifest.get("options") or {}).get("lang") or "en"
    try:  # the bounds the run raised (--limit): the rerun reads the files within the same ones
        limits = DEFAULT_LIMITS.with_values(dict((manifest.get("options") or {}).get("limits") or {}))
    except (TypeError, ValueError) as problem:
        raise InputFileError(folder / "manifest.json", f"options.limits: {problem}") from None
    reports = [path for role, path, _ in found if role == "report"]
    result = monitor(programme, reports, as_of, limits)
    with tempfile.TemporaryDirectory(prefix="dtc-select-verify-") as scratch:
        rerun = Path(scratch) / "rerun"
        html = render_monitoring_report(result, generated_at=started_at, lang=lang)
        write_monitoring(result, rerun, report_html=html, started_at=started_at, lang=lang,
                         reports=manifest.get("reports_given") or [])
        differences = _differences(folder, rerun)
    if not differences:
        return (f"dtc-select: {folder} is reproduced: {', '.join(TABLES)} are identical byte for byte; report.html and "
                f"manifest.json match apart from the finishing time"), 0
    lines = [f"dtc-select: {folder} is NOT reproduced by a rerun on the same inputs; what differs:"]
    return "\n".join(lines + [f"  {line}" for line in differences]), 1


def _differences(original: Path, rerun: Path) -> list[str]:
    found = []
    for name in (*TABLES, "report.html"):
        a, b = (folder / name for folder in (original, rerun))
        if not a.is_file():
            found.append(f"{name}: missing in the run")
        elif a.read_bytes() != b.read_bytes():
            found.append(f"{name}: differs{_first_different_line(a.read_bytes(), b.read_bytes())}")
    manifests = [_comparable_manifest(json.loads((f / "manifest.json").read_text(encoding="utf-8")), ignore_report=False)
                 for f in (original, rerun)]
    return found + [f"manifest.json: {line}" for line in _limited(_json_differences(*manifests, ""))]
