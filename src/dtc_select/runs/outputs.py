"""Writing a run's files: whole or not at all, and safe to open in a spreadsheet.

Everything is written into a hidden temporary folder beside the destination and moved into place
with a rename only once every file is complete, so a run that fails or is killed never leaves a
half-written run folder behind. A killed run can leave its hidden folder (`.NAME.partial-PID-*`);
the next run writing beside it removes the hidden folders of runs that are no longer alive, and
only those: each carries a mark file written first, so a folder of the user's that merely has such
a name is never touched. What the destination may be (new, empty, or a previous run of ours and
nothing else) is decided in runs/out_folder.py, before the run's work and again before the swap.

Each file goes into the hidden folder as soon as it is made, and out of memory: decisions.csv and
decisions.xlsx are streamed there (66 MB and 33 MB at 100,000 applicants, once held together as
bytes until the last file was made), and the manifest, written last, records the SHA-256 of each
file as it is on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import BinaryIO


from dtc_select.errors import OutputError
from dtc_select.reference.indicators import call_edition
from dtc_select.reference.provenance import reference_data_hashes, software_versions
from dtc_select.runs.out_folder import STAGING_MARK, check_out_folder
from dtc_select.runs.safe_cells import neutralise_formulas, write_csv
from dtc_select.seats.overrides import overrides_manifest
from dtc_select.pipeline import Outcome
from dtc_select.intake.schemas import DecisionsSchema, QuarantineSchema

# Hidden folders of a write in progress: `.NAME.partial-PID-xxxx` (new files) and `.NAME.old-PID-xxxx`
# (the previous NAME, moved aside during the swap). The PID tells whether their run is still alive.
STAGING = re.compile(r"^\.(?P<name>.+)\.(?P<kind>partial|old)-(?P<pid>\d+)-[a-z0-9_]+$")
# Where a process cannot be asked whether it is alive (Windows), a hidden folder this old is stale.
STALE_AFTER_SECONDS = 24 * 3600
# A file of a folder written whole: its bytes, or what writes them into an open (binary) file.
Output = bytes | Callable[[BinaryIO], object]


def write_run(outcome: Outcome, out_dir: str | Path, *, report_html: str, started_at: dt.datetime,
              lang: str = "en", edition: str = "reviewer", dossiers: str = "auto") -> Path:
    """Write decisions.csv (and .xlsx), quarantine.csv, score_problems.csv, report.html, manifest.json.
    `lang`, `edition` and `dossiers` are the report's, recorded in the manifest so that `verify`
    renders it alike."""
    from dtc_select.runs.decisions_xlsx import write_decisions_xlsx

    out_dir = Path(out_dir)
    DecisionsSchema.validate(outcome.decisions, lazy=True)
    QuarantineSchema.validate(outcome.quarantine, lazy=True)
    decisions = neutralise_formulas(outcome.decisions)  # once for both files (0.7 s at 100,000)
    files: dict[str, Output] = {
        "decisions.csv": partial(write_csv, decisions, neutralised=True),
        "decisions.xlsx": partial(write_decisions_xlsx, decisions, neutralised=True),
        "quarantine.csv": partial(write_csv, outcome.quarantine),
        "score_problems.csv": partial(write_csv, outcome.score_problems),
        "report.html": report_html.encode("utf-8"),
    }
    options = {"lang": lang, "edition": edition, "dossiers": dossiers}

    def manifest(hashes: dict[str, str]) -> dict[str, bytes]:
        made = build_manifest(outcome, hashes, started_at, options)
        return {"manifest.json": (json.dumps(made, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}

    write_folder_atomically(out_dir, files, inputs=input_paths(outcome), then=manifest)
    return out_dir


def input_paths(outcome: Outcome) -> tuple[str, ...]:
    """Every file the run read (call, applications, scores, overrides): never inside what it replaces."""
    return tuple(p for p in (outcome.call.path, *(r.path for r in outcome.inputs)) if p)


def write_folder_atomically(out_dir: str | Path, files: dict[str, Output], *, inputs: tuple = (),
                            then: Callable[[dict[str, str]], dict[str, Output]] | None = None) -> dict[str, str]:
    """Fill a temporary sibling folder, then swap it in with renames. `out_dir` must be new, empty,
    or a previous run of ours and nothing else (OutFolderInTheWay otherwise, nothing touched).

    Each file is written as soon as it is made (a writer's output is never held whole); `then`
    makes the last files (the manifest) from the SHA-256 of the others. Returns name -> SHA-256 of
    every file written. Whatever fails on the way (a full disk, a writer's bug, Ctrl-C) leaves the
    destination as it was and removes the temporary folder."""
    shown = out_dir
    out_dir = check_out_folder(out_dir, inputs)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(out_dir.parent)
        staging = _marked_folder(out_dir, "partial")
    except OSError as exc:
        raise OutputError(f"{shown}: cannot create the output folder ({exc.strerror or exc})") from None
    retired = None
    hashes: dict[str, str] = {}
    try:
        for name, data in files.items():
            hashes[name] = _write_file(staging / name, data)
        for name, data in (then(dict(hashes)) if then else {}).items():
            hashes[name] = _write_file(staging / name, data)
        os.chmod(staging, 0o755)
        if out_dir.exists():  # empty, or a previous run of ours (checked above): moved aside, then removed
            retired = _marked_folder(out_dir, "old")
            os.rename(out_dir, retired / out_dir.name)
            os.rename(staging, out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, out_dir)
    except BaseException as exc:  # a full disk, but also a writer's bug or Ctrl-C while writing
        if retired is not None and (retired / out_dir.name).is_dir() and not out_dir.exists():
            with contextlib.suppress(OSError):  # the previous run back in place (else the next run does it)
                os.rename(retired / out_dir.name, out_dir)
                shutil.rmtree(retired, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{shown}: cannot write the outputs ({exc.strerror or exc})") from None
        raise
    # In place: the mark goes. A run killed just before this leaves it, and it counts as ours.
    with contextlib.suppress(OSError):
        os.remove(out_dir / STAGING_MARK)
    return hashes


def _write_file(path: Path, data: Output) -> str:
    """Write one file (its bytes, or through its writer) to disk; its SHA-256 as it is there. The
    hash is read back from the file: a writer may seek back (a zip rewrites each entry's header
    once the entry is written), and the page cache serves it (0.1 s for 100 MB)."""
    with open(path, "wb") as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            data(handle)
        handle.flush()
        os.fsync(handle.fileno())
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _marked_folder(out_dir: Path, kind: str) -> Path:
    """A new hidden `.NAME.KIND-PID-xxxx` folder beside out_dir, carrying the mark that makes it ours."""
    folder = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{kind}-{os.getpid()}-", dir=out_dir.parent))
    (folder / STAGING_MARK).write_bytes(b"a dtc-select run writing; removed by the next run once this one is over\n")
    return folder


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove the hidden folders that killed runs left in `folder`; returns what was removed.

    A `.NAME.old-*` folder holds the previous NAME: if the run died before NAME was back in place,
    it is put back rather than removed. Folders of live runs (another run writing now) are left alone,
    and so is any folder without the mark a run writes first: whatever its name, it is not ours.
    """
    removed = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else ():
        match = STAGING.match(entry.name)
        if not match or entry.is_symlink() or not entry.is_dir() or not (entry / STAGING_MARK).is_file() \
                or _run_alive(int(match["pid"]), entry):
            continue
        previous, target = entry / match["name"], folder / match["name"]
        if match["kind"] == "old" and previous.is_dir() and not target.exists():
            os.rename(previous, target)
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _run_alive(pid: int, folder: Path) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        # os.kill(pid, 0) would end the process on Windows: judge by age instead.
        return time.time() - folder.stat().st_mtime < STALE_AFTER_SECONDS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def random_seed(call) -> int | None:
    """The call's declared random seed (`stability.seed`), or None when the call declares none."""
    return getattr(getattr(call, "stability", None), "seed", None)


def build_manifest(outcome: Outcome, hashes: dict[str, str], started_at: dt.datetime,
                   report_options: dict | None = None) -> dict:
    """manifest.json's content; `hashes`: name -> SHA-256 of each output written before it."""
    call = outcome.call
    inputs = [{"role": "call", "path": call.path, "resolved_path": _resolved(call.path), "sha256": call.sha256}]
    inputs += [
        {"role": r.role, "path": r.path, "resolved_path": _resolved(r.path), "sha256": r.sha256, "bytes": r.bytes,
         **({"read_as": r.details} if r.details else {})}
        for r in outcome.inputs
    ]
    applications = next((r for r in outcome.inputs if r.role == "applications"), None)
    overrides = next((r for r in outcome.inputs if r.role == "overrides"), None)
    seats = outcome.seats
    return {
        "tool": "dtc-select",
        "call": {"id": call.id, "title": call.title, "deadline": call.deadline.value.isoformat()},
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "inputs": inputs,
        "reference_data": reference_data_hashes(),
        "software": software_versions(),
        "random_seed": random_seed(call),
        "options": {"sheet": applications.details.get("sheet") if applications else None,
                    **(report_options or {"lang": "en", "edition": "reviewer", "dossiers": "auto"}),
                    # The bounds raised with --limit, for verify's rerun (none raised: no key).
                    **({"limits": outcome.limits.raised()} if outcome.limits.raised() else {})},
        "counts": outcome.counts,
        "warnings": list(outcome.notices),
        # The edition of ITU's Internet-use figures the need formulas used (reference/indicators.py).
        "indicator_edition": call_edition(call).manifest(),
        "seats_per_region": {
            region: {
                "need": float(outcome.needs.loc[region, "need"]),
                "seats": int(seats.loc[region, "seats"]),
                "filled": int(seats.loc[region, "filled"]),
                # Centres of earlier phases the region already holds (later phases only).
                **({"previous": int(seats.loc[region, "previous"])} if "previous" in seats else {}),
            }
            for region in seats.index
        },
        "extra_columns": list(outcome.extra_columns),
        "overrides": overrides_manifest(outcome.overrides, overrides),
        "outputs": dict(sorted(hashes.items())),
    }


def _resolved(path: str) -> str:
    """The absolute path, so a later `verify` finds the file from any folder."""
    return str(Path(path).resolve()) if path else path
