"""Reporting periods: quarters ("2020-Q1") or months ("2020-01"), their dates and when reports are due.

A period is written as the contract says (`2020-Q1`, `2020-01`); a French "2020-T1" (trimestre)
and spaces or slashes instead of the hyphen are read too. A period ends on its last day; its report
is due `due_days` days after that (the programme file sets them).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["quarterly", "monthly"]
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*[QqTt]([1-4])$")
_MONTH = re.compile(r"^(\d{4})\s*[-/ ]\s*(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: `number` is the quarter (1-4) or the month (1-12) of `year`."""

    kind: str
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}" if self.kind == "quarterly" else f"{self.year}-{self.number:02d}"

    @property
    def start(self) -> dt.date:
        month = 3 * self.number - 2 if self.kind == "quarterly" else self.number
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        month = 3 * self.number if self.kind == "quarterly" else self.number
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def due(self, due_days: int) -> dt.date:
        return self.end + dt.timedelta(days=due_days)

    def next(self) -> Period:
        last = 4 if self.kind == "quarterly" else 12
        if self.number == last:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.number + 1)


def parse_period(text: str, kind: Kind) -> tuple[Period | None, str | None]:
    """(the period, None) or (None, the problem as the end of a sentence), as `intake.parsing` parsers."""
    value = text.strip()
    quarter, month = _QUARTER.match(value), _MONTH.match(value)
    example = "2020-Q1" if kind == "quarterly" else "2020-01"
    if quarter:
        if kind != "quarterly":
            return None, f"is a quarter, but this programme reports by month (write e.g. {example})"
        return Period(kind, int(quarter[1]), int(quarter[2])), None
    if month and 1 <= int(month[2]) <= 12:
        if kind != "monthly":
            return None, f"is a month, but this programme reports by quarter (write e.g. {example})"
        return Period(kind, int(month[1]), int(month[2])), None
    return None, f"is not a period (write e.g. {example})"


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from `first` to `last`, both included."""
    found, period = [], first
    while period <= last:
        found.append(period)
        period = period.next()
    return found


def period_containing(day: dt.date, kind: Kind) -> Period:
    return Period(kind, day.year, (day.month - 1) // 3 + 1 if kind == "quarterly" else day.month)
