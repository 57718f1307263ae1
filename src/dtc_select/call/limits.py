"""Bounds on a call file, so that a mistyped or hostile value fails at load (exit 2) instead of
crashing, hanging or exhausting memory later in the run.

Each bound is far beyond what a real call needs; the reason is beside it. They are listed in
docs/limits.md, and a test holds each one.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from pydantic import AfterValidator

D = TypeVar("D", dt.date, dt.datetime)

# A call file is a page of rules: the phase-1 file is 25 kB. A larger file is not a call file.
MAX_CALL_FILE_BYTES = 1_000_000

# Nesting of YAML collections (the phase-1 file nests 10 deep). Deeper
# nesting would exhaust Python's recursion while the file is read or checked.
MAX_YAML_DEPTH = 64

# YAML values (every scalar, list and mapping) once anchors and aliases (&name, *name) are written
# out. The phase-1 file holds about 800. A few aliases nested in each other ("billion laughs")
# would otherwise stand for billions of values and exhaust memory while the file is checked.
MAX_YAML_VALUES = 100_000

# Seats, reserve places and the per-country cap. The ITU has 193 Member States, so no call comes
# near a thousand centres; the divisor methods give seats one by one, so a mistyped 1000000000
# would run for hours.
MAX_SEATS = 1_000
SEATS_WHY = "the bound on seats, reserve places and the country cap (the ITU has 193 Member States: a larger number is a typo)"

# Criterion weights are relative (only their ratios matter): a million to one is far beyond any
# committee's choice, and larger weights overflow once added up.
MAX_WEIGHT = 1_000_000.0
WEIGHT_WHY = "the largest weight a call can give (weights are relative: only their ratios count)"

# Explicit regional needs are relative too (the shipped formulas give at most a few hundred).
MAX_NEED = 1_000_000_000.0
NEED_WHY = "the largest need a call can give (needs are relative: only their ratios count)"

# Dates a call names (deadline, country status date, dates in rules). Before 18 November 1971 the
# UN had no list of least developed countries, so the shipped tables can say nothing about a
# country's status (every need would be zero); after 2100 the date is a typo.
EARLIEST_DATE = dt.date(1971, 11, 18)
LATEST_DATE = dt.date(2100, 12, 31)


def at_most(limit: float, why: str) -> AfterValidator:
    """A model check: the value (None aside) is at most `limit`; the error says `why`."""

    def check(value):
        if value is not None and value > limit:
            raise ValueError(f"{value:,} is more than {limit:,.0f}, {why}")
        return value

    return AfterValidator(check)


def check_date(value: D) -> D:
    """`value`, unless it lies outside EARLIEST_DATE..LATEST_DATE: then ValueError."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < EARLIEST_DATE:
        raise ValueError(f"{day.isoformat()} is before {EARLIEST_DATE.isoformat()}, the UN's first list of least "
                         f"developed countries: the shipped tables know no country's status then; check the year")
    if day > LATEST_DATE:
        raise ValueError(f"{day.isoformat()} is after {LATEST_DATE.isoformat()}, the latest date a call can use: "
                         f"check the year")
    return value
