"""The monitoring run's stages and their only wiring: `monitor(...)` (the flow repeats it, step by step).

Stages: load the programme file; take in the reports (counted or quarantined); add up what was
counted (per centre and period, computed indicators too); progress and reports status as of the
date. `write_monitoring` (outputs.py) writes the result whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from dtc_select.limits import DEFAULT_LIMITS, Limits
from dtc_select.monitoring import progress as prog
from dtc_select.monitoring.programme import Programme, load_programme
from dtc_select.monitoring.reports import TakenReports, take_in_reports


@dataclass(frozen=True)
class Monitoring:
    """Everything a monitoring run found, ready to be written and reported."""

    programme: Programme
    as_of: dt.date
    taken: TakenReports
    values: pd.DataFrame  # per centre and period, every indicator (progress.period_values)
    progress: pd.DataFrame  # progress.csv
    status: pd.DataFrame  # reports_status.csv
    limits: Limits = DEFAULT_LIMITS  # the bounds the report files were held to (manifest: those raised)

    @property
    def quarantine(self) -> pd.DataFrame:
        return self.taken.quarantine

    @property
    def counts(self) -> dict[str, int]:
        status = self.status["status"].value_counts()
        return {
            "rows_read": self.taken.rows_read,
            "counted": len(self.taken.rows),
            "quarantined": len(self.quarantine),
            "reports_received": int(status.get("received", 0)),
            "reports_late": int(status.get("late", 0)),
            "reports_missing": int(status.get("missing", 0)),
        }


def add_up(programme: Programme, taken: TakenReports, as_of: dt.date) -> Monitoring:
    """Progress and reports status from the counted rows."""
    values = prog.period_values(taken.rows, programme)
    return Monitoring(programme, as_of, taken, values, prog.progress(values, programme, as_of),
                      prog.reports_status(taken.rows, programme, as_of))


def monitor(programme_path: str | Path, reports: list[str | Path], as_of: dt.date,
            limits: Limits = DEFAULT_LIMITS) -> Monitoring:
    """Load, take in, add up: what `dtc-select monitor` and the flow compute; `limits`: the
    bounds on the report files (--limit)."""
    programme = load_programme(programme_path)
    return replace(add_up(programme, take_in_reports(reports, programme, as_of, limits), as_of), limits=limits)
