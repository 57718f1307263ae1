"""What changed between two runs of a call: applicants whose status or rank moved, and why.

Both runs are read back from their folders as written (decisions.csv, quarantine.csv,
manifest.json), cells as text, so the comparison sees exactly what the committee saw. For each
application: its status and rank in the old and the new run, the committee's override in each,
and why it is where it is now (the new run's reasons; for an applicant that appeared or
disappeared, whether the other run quarantined its row).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dtc_select.errors import InputFileError

CHANGE_COLUMNS = ("application_id", "institution_name", "change", "old_status", "new_status", "old_rank",
                  "new_rank", "old_override", "new_override", "why")
ARROW = "->"  # plain ASCII: a Windows console may not print an arrow sign


@dataclass(frozen=True)
class RunTables:
    folder: Path
    decisions: pd.DataFrame  # every cell as text, "" when empty
    quarantine: pd.DataFrame
    manifest: dict


def _read_csv(path: Path, required: bool) -> pd.DataFrame:
    if not path.is_file():
        if required:
            raise InputFileError(path, "file not found: is this a dtc-select run folder?")
        return pd.DataFrame(columns=["application_id", "problems"])
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise InputFileError(path, f"cannot be read as a table ({exc})") from None


def load_run(folder: str | Path) -> RunTables:
    """A run folder's decisions, quarantine and manifest, as written."""
    folder = Path(folder)
    decisions = _read_csv(folder / "decisions.csv", required=True)
    if "application_id" not in decisions or "status" not in decisions:
        raise InputFileError(folder / "decisions.csv", "has no application_id or status column")
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    except (OSError, ValueError) as exc:
        raise InputFileError(manifest_path, f"cannot be read as JSON ({exc})") from None
    return RunTables(folder, decisions, _read_csv(folder / "quarantine.csv", required=False), manifest)


def _override(row: pd.Series) -> str:
    justification = row.get("override_justification", "")
    if not justification:
        return ""
    return f"{row['status']} by {row.get('override_decided_by', '')} on {row.get('override_decided_on', '')}: {justification}"


def _quarantined(run: RunTables) -> dict[str, str]:
    frame = run.quarantine
    if "application_id" not in frame or "problems" not in frame:
        return {}
    return dict(zip(frame["application_id"], frame["problems"]))


def decision_changes(old: RunTables, new: RunTables) -> pd.DataFrame:
    """One row per application whose status, rank or override changed, or that appeared or left."""
    old_rows = old.decisions.set_index("application_id", drop=False)
    new_rows = new.decisions.set_index("application_id", drop=False)
    old_quarantine, new_quarantine = _quarantined(old), _quarantined(new)
    rows = []
    for app_id in sorted(set(old_rows.index) | set(new_rows.index)):
        before = old_rows.loc[app_id] if app_id in old_rows.index else None
        after = new_rows.loc[app_id] if app_id in new_rows.index else None
        get = lambda row, key: "" if row is None else str(row.get(key, ""))  # noqa: E731
        change = []
        if before is None:
            change.append("added")
            why = (f"taken in now; the old run quarantined its row ({old_quarantine[app_id]})"
                   if app_id in old_quarantine else "not in the old run's applications")
            why += f"; {get(after, 'reasons')}"
        elif after is None:
            change.append("removed")
            why = (f"quarantined in the new run: {new_quarantine[app_id]}" if app_id in new_quarantine
                   else "not in the new run's applications")
        else:
            change += [c for c in ("status", "rank") if get(before, c) != get(after, c)]
            if _override(before) != _override(after):
                change.append("override")
            why = get(after, "reasons")
        if not change:
            continue
        named = after if after is not None else before
        rows.append({
            "application_id": app_id, "institution_name": get(named, "institution_name"), "change": ", ".join(change),
            "old_status": get(before, "status"), "new_status": get(after, "status"),
            "old_rank": get(before, "rank"), "new_rank": get(after, "rank"),
            "old_override": "" if before is None else _override(before),
            "new_override": "" if after is None else _override(after), "why": why,
        })
    frame = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    if frame.empty:
        return frame
    # Status changes first, then overrides, then rank only; best new rank first within each.
    group = [0 if {"status", "added", "removed"} & set(c.split(", ")) else 1 if "override" in c else 2
             for c in frame["change"]]
    rank = pd.to_numeric(frame["new_rank"].where(frame["new_rank"] != ""), errors="coerce")
    order = frame.assign(_group=group, _rank=rank).sort_values(["_group", "_rank", "application_id"],
                                                               kind="stable", na_position="last")
    return frame.loc[order.index].reset_index(drop=True)


def input_changes(old: dict, new: dict) -> list[str]:
    """Which input files differ between two manifests, in words (by role: call, applications...)."""
    def by_role(manifest: dict) -> dict[str, dict]:
        return {i.get("role", "?"): i for i in manifest.get("inputs", [])}

    before, after = by_role(old), by_role(new)
    lines = []
    for role in sorted(set(before) | set(after)):
        a, b = before.get(role), after.get(role)
        if a is None:
            lines.append(f"{role}: added ({b.get('path')})")
        elif b is None:
            lines.append(f"{role}: not used any more (was {a.get('path')})")
        elif a.get("sha256") != b.get("sha256"):
            lines.append(f"{role}: changed ({a.get('path')} sha256 {str(a.get('sha256'))[:12]}... "
                         f"{ARROW} {b.get('path')} sha256 {str(b.get('sha256'))[:12]}...)")
        else:
            lines.append(f"{role}: same file")
    return lines


def _arrow(old: str, new: str) -> str:
    old, new = old or "-", new or "-"
    return old if old == new else f"{old} {ARROW} {new}"


def format_changes(old: RunTables, new: RunTables, changes: pd.DataFrame) -> str:
    """The comparison as text for a terminal: inputs, counts, then one line per changed applicant."""
    lines = [f"Comparing {old.folder} (old) with {new.folder} (new)."]
    inputs = input_changes(old.manifest, new.manifest)
    if inputs:
        lines += ["Inputs:"] + [f"  {line}" for line in inputs]
    counts_old, counts_new = old.manifest.get("counts", {}), new.manifest.get("counts", {})
    keys = [k for k in ("selected", "reserve", "not_selected", "ineligible", "quarantined") if k in counts_old or k in counts_new]
    if keys:
        lines.append("Counts: " + ", ".join(f"{k.replace('_', ' ')} {_arrow(str(counts_old.get(k, '')), str(counts_new.get(k, '')))}"
                                            for k in keys))
    if changes.empty:
        lines.append("No applicant changed status, rank or committee decision.")
        return "\n".join(lines) + "\n"
    lines.append(f"{len(changes)} applicant(s) changed:")
    table = pd.DataFrame({
        "application": changes["application_id"],
        "institution": [n if len(n) <= 32 else n[:31] + "~" for n in changes["institution_name"]],
        "change": changes["change"],
        "status": [_arrow(a, b).replace("_", " ") for a, b in zip(changes["old_status"], changes["new_status"])],
        "rank": [_arrow(a, b) for a, b in zip(changes["old_rank"], changes["new_rank"])],
    })
    widths = {c: max(len(c), *(len(v) for v in table[c])) for c in table.columns}
    lines.append("  ".join(c.ljust(widths[c]) for c in table.columns) + "  why (the new run's reasons)")
    for record, why, old_o, new_o in zip(table.to_dict("records"), changes["why"], changes["old_override"],
                                         changes["new_override"]):
        lines.append("  ".join(record[c].ljust(widths[c]) for c in table.columns) + "  " + why)
        if old_o != new_o:
            lines.append(f"    committee decision: {old_o or 'none'} {ARROW} {new_o or 'none'}")
    return "\n".join(lines) + "\n"
