"""Writing a run's files: whole or not at all, and safe to open in a spreadsheet.

Everything is written into a hidden temporary folder beside the destination and moved into place
with a rename only once every file is complete, so a run that fails or is killed never leaves a
half-written run folder behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import pandas as pd

from dtc_select import __version__
from dtc_select.errors import OutputError
from dtc_select.pipeline import Outcome
from dtc_select.schemas import DecisionsSchema, QuarantineSchema

# A spreadsheet program runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIBRARIES = ("pandas", "pandera", "scikit-criteria", "numpy", "jinja2", "openpyxl", "pyyaml", "pydantic")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or isinstance(safe[column].dtype, pd.StringDtype):
            text = safe[column]
            risky = pd.Series([isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in text], index=text.index, dtype=bool)
            if risky.any():
                safe[column] = text.astype(object).where(~risky, "'" + text.astype(str))
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as written for every table: UTF-8, comma, LF, no index; same frame, same bytes."""
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_run(outcome: Outcome, out_dir: str | Path, *, report_html: str, started_at: dt.datetime) -> Path:
    """Write decisions.csv (and .xlsx), quarantine.csv, score_problems.csv, report.html, manifest.json."""
    from dtc_select.spreadsheet import decisions_xlsx

    out_dir = Path(out_dir)
    DecisionsSchema.validate(outcome.decisions, lazy=True)
    QuarantineSchema.validate(outcome.quarantine, lazy=True)
    files = {
        "decisions.csv": csv_bytes(outcome.decisions),
        "decisions.xlsx": decisions_xlsx(outcome.decisions),
        "quarantine.csv": csv_bytes(outcome.quarantine),
        "score_problems.csv": csv_bytes(outcome.score_problems),
        "report.html": report_html.encode("utf-8"),
    }
    manifest = build_manifest(outcome, files, started_at)
    files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    write_folder_atomically(out_dir, files)
    return out_dir


def write_folder_atomically(out_dir: Path, files: dict[str, bytes]) -> None:
    """Fill a temporary sibling folder, then swap it in with renames."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder ({exc.strerror or exc})") from None
    try:
        for name, data in files.items():
            with open(staging / name, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(staging, 0o755)
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.rename(out_dir, retired / out_dir.name)
            os.rename(staging, out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{out_dir}: cannot write the outputs ({exc.strerror or exc})") from None


def build_manifest(outcome: Outcome, files: dict[str, bytes], started_at: dt.datetime) -> dict:
    call = outcome.call
    inputs = [{"role": "call", "path": call.path, "sha256": call.sha256}]
    inputs += [
        {"role": r.role, "path": r.path, "sha256": r.sha256, "bytes": r.bytes, **({"read_as": r.details} if r.details else {})}
        for r in outcome.inputs
    ]
    seats = outcome.seats
    return {
        "tool": "dtc-select",
        "call": {"id": call.id, "title": call.title, "deadline": call.deadline.value.isoformat()},
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "inputs": inputs,
        "reference_data": reference_data_hashes(),
        "software": software_versions(),
        "counts": outcome.counts,
        "seats_per_region": {
            region: {
                "need": float(outcome.needs.loc[region, "need"]),
                "seats": int(seats.loc[region, "seats"]),
                "filled": int(seats.loc[region, "filled"]),
            }
            for region in seats.index
        },
        "extra_columns": list(outcome.extra_columns),
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }


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
