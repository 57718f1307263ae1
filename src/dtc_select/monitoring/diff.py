"""`dtc-select diff` for two monitoring runs: which figures, statuses and reports changed.

Both runs are read back from their folders as written (progress.csv, reports_status.csv), cells
as text, so the comparison sees what the committee saw: a quarter later, or after a centre's
corrected report. One row per change: a centre and indicator whose achieved figure or status
moved, or a centre and period whose report status moved (missing -> late, say).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dtc_select.errors import InputFileError
from dtc_select.runs.diff import ARROW

CHANGE_COLUMNS = ("dtc_id", "what", "old", "new", "old_status", "new_status")


def _table(folder: Path, name: str) -> pd.DataFrame:
    try:
        return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise InputFileError(folder / name, f"cannot be read ({exc})") from None


def monitoring_changes(old: str | Path, new: str | Path) -> pd.DataFrame:
    """The changes from the `old` run folder to the `new` one (CHANGE_COLUMNS), progress first."""
    old, new = Path(old), Path(new)
    rows = []
    progress = _table(old, "progress.csv").merge(_table(new, "progress.csv"), on=["dtc_id", "indicator"], how="outer",
                                                 suffixes=("_old", "_new"), sort=False).fillna("")
    for r in progress.itertuples(index=False):
        if (r.achieved_old, r.status_old) != (r.achieved_new, r.status_new):
            rows.append((r.dtc_id, r.indicator, r.achieved_old, r.achieved_new, r.status_old, r.status_new))
    status = _table(old, "reports_status.csv").merge(_table(new, "reports_status.csv"), on=["dtc_id", "period"],
                                                     how="outer", suffixes=("_old", "_new"), sort=False).fillna("")
    for r in status.itertuples(index=False):
        if r.status_old != r.status_new:
            rows.append((r.dtc_id, f"report {r.period}", r.reported_on_old, r.reported_on_new, r.status_old, r.status_new))
    return pd.DataFrame.from_records(rows, columns=list(CHANGE_COLUMNS))


def format_monitoring_changes(old: str | Path, new: str | Path, changes: pd.DataFrame) -> str:
    """The changes as lines a person reads: `GHA trained: 5300 -> 22192 (behind -> ahead)`."""
    if changes.empty:
        return f"No change between {old} and {new}: same figures, statuses and reports."
    lines = [f"{len(changes)} changes from {old} to {new} (old {ARROW} new):"]
    for r in changes.itertuples(index=False):
        figures = f"{r.old or '-'} {ARROW} {r.new or '-'}"
        lines.append(f"  {r.dtc_id} {r.what}: {figures} ({r.old_status or '-'} {ARROW} {r.new_status or '-'})")
    return "\n".join(lines)
