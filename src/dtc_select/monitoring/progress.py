"""Progress against targets, and which reports came in, as of a date: pure functions of the counted rows.

Words used here, as the report states them:
- a period is *due* once its report is due (`reporting.due_days` after it ends) on or before the
  as-of date; a report is *received* if sent by then, *late* if sent after, *missing* if absent;
- *achieved* adds up an indicator's counted values over the target's periods (the programme's
  periods where there is no target) as the indicator says: `sum`, `latest` (the value of the
  latest period reported) or `mean`; a computed indicator (`sum_of`) adds up the parts reported
  that period. Nothing reported -> achieved is empty, not zero. The network's figure adds up the
  centres' (the mean of every centre's periods for a `mean`).
- *expected* = target x (periods of the target's span due / periods in the span);
  status `ahead` when achieved > expected x (1 + tolerance), `on_track` when achieved >= expected x
  (1 - tolerance), `behind` otherwise; `no_reports` when nothing was reported for it, `no_target`
  when it has no target.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dtc_select.monitoring.periods import Period
from dtc_select.monitoring.programme import NETWORK, Indicator, Programme

PROGRESS_COLUMNS = ["dtc_id", "indicator", "target", "achieved", "share_of_target", "status", "periods_reported",
                    "periods_missing", "expected", "target_example", "whole", "share_of_whole"]
STATUS_COLUMNS = ["dtc_id", "period", "status", "reported_on", "due_on", "source_file", "source_row"]
STATUSES = ("ahead", "on_track", "behind", "no_target", "no_reports")


def period_values(rows: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """The counted rows with every indicator, computed ones too: one row per centre and period,
    in period order, `period` as text and `period_end` as a date."""
    values = rows[["dtc_id", "period", "reported_on", "source_file", "source_row"]].copy()
    for indicator in programme.indicators:
        if indicator.reported:
            values[indicator.id] = rows[indicator.id].astype("Int64")
        else:
            values[indicator.id] = rows[list(indicator.sum_of)].sum(axis=1, min_count=1).astype("Int64")
    order = {str(p): n for n, p in enumerate(programme.periods)}
    values["_order"] = values["period"].map(order)
    values["period_end"] = [programme.period(t).end for t in values["period"]]
    return values.sort_values(["_order", "dtc_id"], kind="stable").drop(columns="_order").reset_index(drop=True)


def periods_due(programme: Programme, dtc_id: str, as_of: dt.date) -> list[Period]:
    """The centre's periods whose report is due on or before `as_of`."""
    first = programme.first_period_of(programme.centre_by_id[dtc_id])
    return [p for p in programme.periods if p >= first and programme.due(p) <= as_of]


def reports_status(rows: pd.DataFrame, programme: Programme, as_of: dt.date) -> pd.DataFrame:
    """One row per centre and period due by `as_of` (and per period whose report came in before it
    was due): received, late or missing, with the row that was counted."""
    counted = {(r.dtc_id, r.period): r for r in rows.itertuples(index=False)}
    records = []
    for centre in programme.centres:
        due = {str(p) for p in periods_due(programme, centre.dtc_id, as_of)}
        for period in programme.periods:
            text, row = str(period), counted.get((centre.dtc_id, str(period)))
            if text not in due and row is None:
                continue
            due_on = programme.due(period)
            if row is None:
                records.append((centre.dtc_id, text, "missing", "", due_on.isoformat(), "", pd.NA))
                continue
            status = "late" if dt.date.fromisoformat(row.reported_on) > due_on else "received"
            records.append((centre.dtc_id, text, status, row.reported_on, due_on.isoformat(), row.source_file,
                            row.source_row))
    table = pd.DataFrame.from_records(records, columns=STATUS_COLUMNS)
    table["source_row"] = table["source_row"].astype("Int64")
    return table


def _achieved(values: pd.Series, indicator: Indicator) -> float | None:
    known = values.dropna()
    if known.empty:
        return None
    if indicator.adds_up == "latest":
        return float(known.iloc[-1])
    if indicator.adds_up == "mean":
        return float(known.mean())
    return float(known.sum())


def _status(achieved: float | None, target: float | None, elapsed: float, tolerance: float) -> str:
    if achieved is None:
        return "no_reports"
    if target is None:
        return "no_target"
    expected = target * elapsed
    if achieved > expected * (1 + tolerance):
        return "ahead"
    return "on_track" if achieved >= expected * (1 - tolerance) else "behind"


def elapsed_share(programme: Programme, span: list[Period], as_of: dt.date) -> float:
    """The share of a target's periods whose reports are due by `as_of`."""
    return sum(programme.due(p) <= as_of for p in span) / len(span)


def progress(values: pd.DataFrame, programme: Programme, as_of: dt.date) -> pd.DataFrame:
    """progress.csv: per centre and indicator, then the NETWORK rows (columns: PROGRESS_COLUMNS)."""
    records, achieved_by = [], {}
    tolerance = programme.on_track.tolerance
    for dtc_id in [*programme.centre_by_id, NETWORK]:
        mine = values if dtc_id == NETWORK else values[values["dtc_id"] == dtc_id]
        due = _due_count(programme, dtc_id, as_of)
        for indicator in programme.indicators:
            target = programme.target_for(dtc_id, indicator.id)
            span = programme.target_span(target) if target else programme.periods
            inside = mine[mine["period"].isin([str(p) for p in span])]
            if dtc_id == NETWORK and indicator.adds_up != "mean":
                per_centre = [_achieved(inside.loc[inside["dtc_id"] == c, indicator.id], indicator)
                              for c in programme.centre_by_id]
                known = [a for a in per_centre if a is not None]
                achieved = float(sum(known)) if known else None
            else:
                achieved = _achieved(inside[indicator.id], indicator)
            achieved_by[dtc_id, indicator.id] = achieved
            reported = int(mine[indicator.id].notna().sum())
            reported_due = _reported_due(mine, indicator, programme, as_of)
            elapsed = elapsed_share(programme, span, as_of)
            expected = target.value * elapsed if target else None
            records.append({
                "dtc_id": dtc_id, "indicator": indicator.id,
                "target": target.value if target else None, "achieved": achieved,
                "share_of_target": achieved / target.value if target and achieved is not None else None,
                "status": _status(achieved, target.value if target else None, elapsed, tolerance),
                "periods_reported": reported, "periods_missing": due - reported_due,
                "expected": expected,
                "target_example": ("yes" if target.example else "no") if target else "",
                "whole": indicator.share_of or "",
            })
    for record in records:
        whole = record["whole"]
        base = achieved_by.get((record["dtc_id"], whole)) if whole else None
        record["share_of_whole"] = record["achieved"] / base if base and record["achieved"] is not None else None
    table = pd.DataFrame.from_records(records, columns=PROGRESS_COLUMNS)
    for column in ("target", "achieved", "expected"):
        table[column] = table[column].map(_figure)
    for column in ("share_of_target", "share_of_whole"):
        table[column] = table[column].map(lambda v: "" if v is None or pd.isna(v) else f"{v:.4f}")
    return table


def _due_count(programme: Programme, dtc_id: str, as_of: dt.date) -> int:
    if dtc_id == NETWORK:
        return sum(len(periods_due(programme, c, as_of)) for c in programme.centre_by_id)
    return len(periods_due(programme, dtc_id, as_of))


def _reported_due(mine: pd.DataFrame, indicator: Indicator, programme: Programme, as_of: dt.date) -> int:
    """How many of the due centre-periods have a value for the indicator."""
    due = {(c, str(p)) for c in programme.centre_by_id for p in periods_due(programme, c, as_of)}
    known = mine[mine[indicator.id].notna()]
    return sum((c, p) in due for c, p in zip(known["dtc_id"], known["period"]))


def _figure(value) -> str:
    """A figure as the CSV writes it: whole numbers without decimals, others to 2 decimals."""
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.2f}"
