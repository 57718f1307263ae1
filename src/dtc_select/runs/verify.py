"""Checking a past run: the same inputs must give the same outputs, or we say what differs.

`locate_inputs` finds every input a run's manifest.json names (by its path as given, then its
absolute path) and checks its SHA-256: a missing or changed file stops the check, because a rerun
on other files proves nothing. The rerun itself is the ordinary pipeline (cli.py wires it);
`compare_runs` then compares the two folders: the three tables byte for byte, naming the rows and
columns that differ; report.html and manifest.json apart from what must differ (the time the
rerun finished) and, noted but not counted, the software versions when the rerun uses others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from dtc_select.runs.diff import ARROW
from dtc_select.errors import InputFileError
from dtc_select.limits import DEFAULT_LIMITS, Limits
from dtc_select.pipeline import Outcome

# Compared byte for byte; a difference is explained row by row, rows found by these keys.
TABLES = {"decisions.csv": "application_id", "quarantine.csv": "source_row", "score_problems.csv": "source_row"}
ROLES = ("call", "applications", "scores", "overrides")
MAX_LISTED = 20  # rows or keys listed per file; the rest are counted


class InputChangedError(InputFileError):
    """An input a run read is missing or no longer the same file: the run cannot be checked."""


@dataclass(frozen=True)
class RerunInputs:
    """Where the recorded inputs are now, the options, and the paths the run recorded."""

    files: dict[str, Path]  # role -> path found now (call and applications always)
    recorded: dict[str, str]  # role -> path as the run recorded it
    sheet: str | None
    started_at: dt.datetime
    lang: str = "en"  # the report's language, edition and dossiers (runs recorded before them:
    edition: str = "reviewer"  # en, reviewer, auto)
    dossiers: str = "auto"
    limits: Limits = DEFAULT_LIMITS  # the bounds the run raised (--limit), kept by the rerun


@dataclass
class Comparison:
    differences: list[str] = field(default_factory=list)  # each a line: file: what differs
    notes: list[str] = field(default_factory=list)  # differences that do not change the outputs' meaning

    @property
    def identical(self) -> bool:
        return not self.differences


def read_manifest(folder: str | Path) -> dict:
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        raise InputFileError(path, "file not found: verify needs the manifest.json a run wrote")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputFileError(path, f"cannot be read as JSON ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("inputs"), list):
        raise InputFileError(path, "is not a dtc-select manifest (no list of inputs)")
    return manifest


def _sha256(path: Path) -> str:
    if path.is_dir():  # a folder of returned score sheets, fingerprinted as the run did
        from dtc_select.intake.score_sheets import folder_sha256

        return folder_sha256(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locate_inputs(manifest: dict, manifest_path: str | Path) -> RerunInputs:
    """Every recorded input, found and unchanged; otherwise InputChangedError naming each problem."""
    files, recorded, problems = {}, {}, []
    for entry in manifest["inputs"]:
        role, path, expected = entry.get("role"), entry.get("path") or "", entry.get("sha256")
        candidates = [Path(p) for p in dict.fromkeys([path, entry.get("resolved_path") or path]) if p]
        existing = [c for c in candidates if c.is_file() or (role == "scores" and c.is_dir())]
        matching = [c for c in existing if _sha256(c) == expected]
        if matching:
            files[role], recorded[role] = matching[0], path
        elif existing:
            problems.append(f"{role} {path}: changed since the run (sha256 was {str(expected)[:12]}..., "
                            f"is now {_sha256(existing[0])[:12]}...)")
        else:
            problems.append(f"{role} {path}: missing (looked for {' and '.join(map(str, candidates))})")
    for role in ("call", "applications"):
        if role not in files and not any(p.startswith(f"{role} ") for p in problems):
            problems.append(f"{role}: not recorded in the manifest")
    if problems:
        raise InputChangedError(manifest_path, "cannot rerun: " + "; ".join(problems))
    try:
        started_at = dt.datetime.fromisoformat(manifest["started_at"])
    except (KeyError, TypeError, ValueError):
        raise InputFileError(manifest_path, "started_at is missing or not a date-time") from None
    options = manifest.get("options") or {}
    try:
        limits = DEFAULT_LIMITS.with_values(dict(options.get("limits") or {}))
    except (TypeError, ValueError) as problem:
        raise InputFileError(manifest_path, f"options.limits: {problem}") from None
    return RerunInputs(files, recorded, options.get("sheet"), started_at, options.get("lang") or "en",
                       options.get("edition") or "reviewer", options.get("dossiers") or "auto", limits)


def as_recorded(outcome: Outcome, inputs: RerunInputs) -> Outcome:
    """The rerun's Outcome naming its inputs by the paths the run recorded (found elsewhere or not)."""
    call = outcome.call.model_copy(update={"path": inputs.recorded["call"]})
    records = tuple(replace(r, path=inputs.recorded.get(r.role, r.path)) for r in outcome.inputs)
    return replace(outcome, call=call, inputs=records)


def compare_runs(original: str | Path, rerun: str | Path) -> Comparison:
    """What differs between a run's folder and its rerun's folder (empty differences: identical)."""
    original, rerun = Path(original), Path(rerun)
    result = Comparison()
    for name, key in TABLES.items():
        result.differences += _table_differences(name, key, original / name, rerun / name)
    manifests = [json.loads((folder / "manifest.json").read_text(encoding="utf-8")) for folder in (original, rerun)]
    software = _json_differences(manifests[0].get("software", {}), manifests[1].get("software", {}), "software")
    result.notes += [f"the rerun used other software: {line}" for line in software]
    reports = [(folder / "report.html").read_bytes() for folder in (original, rerun)]
    if software:  # the report prints the versions: compare it without that line
        reports = [b"\n".join(line for line in r.split(b"\n") if b"Software:" not in line) for r in reports]
    if reports[0] != reports[1]:
        result.differences.append(f"report.html: differs{_first_different_line(*reports)}")
    normalised = [_comparable_manifest(m, ignore_report=bool(software)) for m in manifests]
    result.differences += [f"manifest.json: {line}" for line in _limited(_json_differences(*normalised, ""))]
    return result


def _comparable_manifest(manifest: dict, *, ignore_report: bool) -> dict:
    """A manifest without what a rerun changes by nature: when it finished, where files were found."""
    kept = {k: v for k, v in manifest.items() if k not in {"finished_at", "software"}}
    kept["inputs"] = [{k: v for k, v in i.items() if k != "resolved_path"} for i in manifest.get("inputs", [])]
    if ignore_report:
        kept["outputs"] = {k: v for k, v in (manifest.get("outputs") or {}).items() if k != "report.html"}
    return kept


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:39] + "~"


def _json_differences(a, b, path: str) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        lines = []
        for key in sorted(set(a) | set(b), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                lines.append(f"{where}: {'only in the rerun' if key not in a else 'only in the run'}")
            else:
                lines += _json_differences(a[key], b[key], where)
        return lines
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [line for i, (x, y) in enumerate(zip(a, b)) for line in _json_differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {_short(a)} {ARROW} {_short(b)}"]


def _first_different_line(a: bytes, b: bytes) -> str:
    for number, (x, y) in enumerate(zip(a.split(b"\n"), b.split(b"\n")), start=1):
        if x != y:
            return f" from line {number}"
    return " in length"


def _limited(lines: list[str]) -> list[str]:
    return lines if len(lines) <= MAX_LISTED else lines[:MAX_LISTED] + [f"... and {len(lines) - MAX_LISTED} more"]


def _table_differences(name: str, key: str, a_path: Path, b_path: Path) -> list[str]:
    """Nothing if the files are the same bytes; else which rows and columns differ, in words."""
    missing = [p for p in (a_path, b_path) if not p.is_file()]
    if missing:
        return [f"{name}: missing in {' and '.join(str(p.parent) for p in missing)}"]
    if a_path.read_bytes() == b_path.read_bytes():
        return []
    a, b = (pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8") for p in (a_path, b_path))
    if list(a.columns) != list(b.columns):
        only_a, only_b = [c for c in a.columns if c not in b], [c for c in b.columns if c not in a]
        detail = (f"only in the run: {', '.join(only_a) or 'none'}; only in the rerun: {', '.join(only_b) or 'none'}"
                  if only_a or only_b else "same columns in another order")
        return [f"{name}: the columns differ ({detail})"]
    if key not in a.columns:
        return [f"{name}: differs (no {key} column to say which rows)"]
    a, b = a.set_index(key, drop=False), b.set_index(key, drop=False)
    lines = [f"{name}: {key} {k}: only in the run" for k in a.index.difference(b.index, sort=False)]
    lines += [f"{name}: {key} {k}: only in the rerun" for k in b.index.difference(a.index, sort=False)]
    for k in a.index.intersection(b.index, sort=False):
        x, y = a.loc[k], b.loc[k]
        if isinstance(x, pd.DataFrame) or isinstance(y, pd.DataFrame):
            lines.append(f"{name}: {key} {k}: appears more than once")
            continue
        changed = [f"{c} {_short(x[c])} {ARROW} {_short(y[c])}" for c in a.columns if x[c] != y[c]]
        if changed:
            lines.append(f"{name}: {key} {k}: {'; '.join(changed)}")
    if not lines:
        order = "the rows are in another order" if sorted(a.index) == sorted(b.index) else "same cells"
        lines.append(f"{name}: differs byte for byte but has the same cells ({order}, or other quoting or line endings)")
    return _limited(lines)
