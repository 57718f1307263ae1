"""What changed between two runs of a call: applicants whose status or rank moved, and why.

Both runs are read back from their folders as written (decisions.csv, quarantine.csv,
manifest.json), cells as text, so the comparison sees exactly what the committee saw. For each
application: its status and rank in the old and the new run, the committee's override in each,
and why it is where it is now (the new run's reasons; for an applicant that appeared or
disappeared, whether the other run quarantined its row).

One corrected row can move every applicant below it by a place. Such a rank change only follows
the others: among the applicants ranked in both runs, the applicant keeps its place relative to
everyone else. It is a "rank shift", listed apart (`--ranks`) or summed up in one line. A rank
change of its own ("rank": the applicant overtook others or was overtaken) is listed as a move:
the applicants outside the longest run that kept its order between the two rankings, so that one
applicant jumping ten places is one move, not eleven.
"""

from __future__ import annotations

import bisect
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


def _ranks(run: RunTables) -> pd.Series:
    return pd.to_numeric(run.decisions.set_index("application_id")["rank"].replace("", None), errors="coerce").dropna()


def kept_order(old: RunTables, new: RunTables) -> set[str]:
    """The applicants ranked in both runs that kept their order relative to each other: the longest
    sequence of them whose new ranks increase with their old ranks (patience sorting)."""
    old_ranks, new_ranks = _ranks(old), _ranks(new)
    common = old_ranks.index.intersection(new_ranks.index)
    ids = sorted(common, key=lambda a: (old_ranks[a], a))
    tails: list[int] = []  # tails[k]: index in ids of the smallest last new rank of a run of k + 1
    before: list[int | None] = []
    for i, app in enumerate(ids):
        k = bisect.bisect_left([new_ranks[ids[t]] for t in tails], new_ranks[app])
        before.append(tails[k - 1] if k else None)
        tails[k:k + 1] = [i]
    kept, i = set(), tails[-1] if tails else None
    while i is not None:
        kept.add(ids[i])
        i = before[i]
    return kept


def decision_changes(old: RunTables, new: RunTables) -> pd.DataFrame:
    """One row per application whose status, rank or override changed, or that appeared or left.
    `change` names what changed: added, removed, status, rank (a move of its own), rank shift (a
    rank change that only follows the others'), override."""
    old_rows = old.decisions.set_index("application_id", drop=False)
    new_rows = new.decisions.set_index("application_id", drop=False)
    old_quarantine, new_quarantine = _quarantined(old), _quarantined(new)
    in_order = kept_order(old, new)
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
            if change == ["rank"] and app_id in in_order:
                change = ["rank shift"]
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
    # Status changes first, then overrides, then moves, then shifts; best new rank first within each.
    group = [0 if {"status", "added", "removed"} & set(c.split(", ")) else 1 if "override" in c
             else 3 if c == "rank shift" else 2 for c in frame["change"]]
    rank = pd.to_numeric(frame["new_rank"].where(frame["new_rank"] != ""), errors="coerce")
    order = frame.assign(_group=group, _rank=rank).sort_values(["_group", "_rank", "application_id"],
                                                               kind="stable", na_position="last")
    return frame.loc[order.index].reset_index(drop=True)


def without_shifts(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes without the rank shifts that only follow the others (what `diff` lists unless
    asked for --ranks)."""
    return changes[changes["change"] != "rank shift"].reset_index(drop=True)


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


def format_changes(old: RunTables, new: RunTables, changes: pd.DataFrame, *, ranks: bool = False) -> str:
    """The comparison as text for a terminal: inputs, counts, then one line per changed applicant;
    the rank shifts that only follow the others in one line, or (`ranks`) listed after the rest."""
    lines = [f"Comparing {old.folder} (old) with {new.folder} (new)."]
    inputs = input_changes(old.manifest, new.manifest)
    if inputs:
        lines += ["Inputs:"] + [f"  {line}" for line in inputs]
    counts_old, counts_new = old.manifest.get("counts", {}), new.manifest.get("counts", {})
    keys = [k for k in ("selected", "reserve", "not_selected", "ineligible", "quarantined") if k in counts_old or k in counts_new]
    if keys:
        lines.append("Counts: " + ", ".join(f"{k.replace('_', ' ')} {_arrow(str(counts_old.get(k, '')), str(counts_new.get(k, '')))}"
                                            for k in keys))
    shifts = changes[changes["change"] == "rank shift"]
    changes = without_shifts(changes)
    if changes.empty and shifts.empty:
        lines.append("No applicant changed status, rank or committee decision.")
        return "\n".join(lines) + "\n"
    if changes.empty:
        lines.append("No applicant changed status or committee decision, or moved past another.")
    else:
        lines.append(f"{len(changes)} applicant(s) changed:")
        lines += _change_lines(changes)
    if not shifts.empty:
        moved = pd.to_numeric(shifts["new_rank"]) - pd.to_numeric(shifts["old_rank"])
        by = sorted({f"{int(m):+d}" for m in moved})
        lines.append(f"{len(shifts)} other applicant(s) changed rank only because applicants above them were "
                     f"added, removed or moved (their order among the others is unchanged): old ranks "
                     f"{_spans(pd.to_numeric(shifts['old_rank']))}, by {', '.join(by)}"
                     + (":" if ranks else "; --ranks lists them."))
        if ranks:
            lines += _change_lines(shifts)
    return "\n".join(lines) + "\n"


def _spans(ranks: pd.Series) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"."""
    runs: list[list[int]] = []
    for n in sorted(int(r) for r in ranks):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _change_lines(changes: pd.DataFrame) -> list[str]:
    lines = []
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
    return lines
