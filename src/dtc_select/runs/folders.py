"""Runs of a call side by side: `REPORTS/<call-id>/<run-id>/`, and a pointer to the latest.

The run id is the run's start time in UTC (`20191201T060000Z`), so folders sort in time order in
any file browser. The latest run is named in `REPORTS/<call-id>/LATEST`, a one-line text file
holding its run id: a plain file works the same on Windows, macOS, Linux and shared drives,
where symbolic links need privileges (Windows) or are not kept (some network shares, zip files).
`LATEST` changes only once a run's folder is complete, and only to a later run.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from dtc_select.errors import InputFileError, OutputError
from dtc_select.runs.outputs import write_run

LATEST = "LATEST"
RUN_ID_FORMAT = "%Y%m%dT%H%M%SZ"


def run_id(started_at: dt.datetime) -> str:
    return started_at.astimezone(dt.timezone.utc).strftime(RUN_ID_FORMAT)


def new_run_folder(reports_dir: str | Path, call_id: str, started_at: dt.datetime) -> Path:
    """REPORTS/<call-id>/<run-id>/, not yet written; `-2`, `-3`... if a run started the same second."""
    base = Path(reports_dir) / call_id / run_id(started_at)
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    return folder


def _run_key(name: str) -> tuple[str, int]:
    stamp, _, n = name.partition("-")
    return stamp, int(n) if n.isdigit() else 1


def mark_latest(run_folder: str | Path) -> bool:
    """Point the call's LATEST at this run, unless it already names a later one; True if it moved."""
    run_folder = Path(run_folder)
    pointer = run_folder.parent / LATEST
    current = read_latest(run_folder.parent)
    if current is not None and _run_key(current.name) > _run_key(run_folder.name):
        return False
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{LATEST}.", dir=run_folder.parent)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(run_folder.name + "\n")
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the pointer is as readable as the runs
        os.replace(temporary, pointer)  # atomic: readers see the old or the new pointer, never half
    except OSError as exc:
        raise OutputError(f"{pointer}: cannot record the latest run ({exc.strerror or exc})") from None
    return True


def read_latest(call_dir: str | Path) -> Path | None:
    """The latest run's folder named by call_dir/LATEST, or None if there is no pointer."""
    pointer = Path(call_dir) / LATEST
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputFileError(pointer, f"cannot be read ({exc.strerror or exc})") from None
    return Path(call_dir) / name if name else None


def run_folder(path: str | Path) -> Path:
    """A run's folder from what a user typed: the run folder itself, or a call's folder (its LATEST)."""
    path = Path(path)
    if (path / "decisions.csv").is_file():
        return path
    latest = read_latest(path) if path.is_dir() else None
    if latest is not None and (latest / "decisions.csv").is_file():
        return latest
    if not path.exists():
        raise InputFileError(path, "no such folder")
    raise InputFileError(path, "is not a run folder (no decisions.csv) nor a call's folder with a LATEST run")


def write_new_run(outcome, reports_dir: str | Path, *, report_html: str, started_at: dt.datetime,
                  lang: str = "en", edition: str = "reviewer", dossiers: str = "auto") -> Path:
    """Write a run into a new REPORTS/<call-id>/<run-id>/ and point LATEST at it."""
    folder = new_run_folder(reports_dir, outcome.call.id, started_at)
    write_run(outcome, folder, report_html=report_html, started_at=started_at, lang=lang, edition=edition,
              dossiers=dossiers)
    mark_latest(folder)
    return folder
