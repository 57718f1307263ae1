"""Writing a monitoring run: progress.csv, reports_status.csv, quarantine.csv, report.html and
manifest.json, whole or not at all (`runs.outputs.write_folder_atomically`), every table through
`runs.safe_cells.csv_bytes` (no cell runs as a formula in a spreadsheet)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from dtc_select.monitoring.pipeline import Monitoring
from dtc_select.reference.provenance import software_versions
from dtc_select.runs.outputs import write_folder_atomically
from dtc_select.runs.safe_cells import csv_bytes

TOOL = "dtc-select monitor"  # manifest.json's `tool`: `verify` tells a monitoring run by it
TABLES = ("progress.csv", "reports_status.csv", "quarantine.csv")


def write_monitoring(result: Monitoring, out_dir: str | Path, *, report_html: str, started_at: dt.datetime,
                     lang: str = "en", reports: list[str | Path] = ()) -> Path:
    """Write the run's files into `out_dir`; `reports` are the report paths as given (recorded)."""
    out_dir = Path(out_dir)
    files = {
        "progress.csv": csv_bytes(result.progress),
        "reports_status.csv": csv_bytes(result.status),
        "quarantine.csv": csv_bytes(result.quarantine),
        "report.html": report_html.encode("utf-8"),
    }
    manifest = build_manifest(result, files, started_at, lang, reports)
    files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    write_folder_atomically(out_dir, files)
    return out_dir


def build_manifest(result: Monitoring, files: dict[str, bytes], started_at: dt.datetime, lang: str,
                   reports: list[str | Path]) -> dict:
    programme = result.programme
    inputs = [{"role": "programme", "path": programme.path, "resolved_path": _resolved(programme.path),
               "sha256": programme.sha256}]
    inputs += [{"role": "report", "path": f.path, "resolved_path": _resolved(f.path), "sha256": f.sha256,
                "bytes": f.bytes, "rows": f.rows, "read_as": _read_as(f.read_as),
                **({"ignored_columns": list(f.ignored_columns)} if f.ignored_columns else {})}
               for f in result.taken.files]
    return {
        "tool": TOOL,
        "programme": {"id": programme.id, "title": programme.title},
        "as_of": result.as_of.isoformat(),
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "reports_given": [str(r) for r in reports],
        "inputs": inputs,
        "software": software_versions(),
        "options": {"lang": lang, **({"limits": result.limits.raised()} if result.limits.raised() else {})},
        "counts": result.counts,
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }


def _read_as(info: dict) -> dict:
    return {k: info.get(k) for k in ("format", "encoding", "separator", "sheet", "column_names") if info.get(k)}


def _resolved(path: str) -> str:
    return str(Path(path).resolve()) if path else path
