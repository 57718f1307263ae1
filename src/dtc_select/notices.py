"""Warnings a run gives without stopping: in English for the log, decisions and manifest, and
keeping their key and fields so that the report can say them in its own language.

A notice's report text is the catalogue's `<prefix><key>` (e.g. `override_warning_seats_empty`)
filled with the same fields; dates are given as dates, so each language writes them its way.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

import pandas as pd

SCHEDULED_GRADUATION = re.compile(r"scheduled graduation (\d{4}-\d{2}-\d{2})")


class Notice(str):
    """An English sentence (a str, so it prints, logs and serialises as one) with `key` and `fields`."""

    TEMPLATES: ClassVar[dict[str, str]] = {}
    CATALOGUE_PREFIX: ClassVar[str] = ""

    key: str
    fields: dict

    def __new__(cls, key: str, **fields):
        english = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in fields.items()}
        text = super().__new__(cls, cls.TEMPLATES[key].format(**english))
        text.key, text.fields = key, fields
        return text

    def __getnewargs_ex__(self):
        # Pickling (Prefect hands results between tasks) rebuilds from the key and fields.
        return (self.key,), self.fields

    @property
    def catalogue_key(self) -> str:
        return f"{self.CATALOGUE_PREFIX}{self.key}"


class ReferenceNotice(Notice):
    """The shipped reference tables may not describe the call's date (countries.py)."""

    CATALOGUE_PREFIX = "reference_warning_"
    TEMPLATES = {
        "tables_older": "the call's country status date ({as_of}) is after the date the shipped country tables "
                        "describe ({tables}): anything decided since is not in them",
        "graduation_due": "{country} ({iso3}) was scheduled to graduate from the least developed countries on "
                          "{date}, on or before the call's country status date ({as_of}), but the shipped tables "
                          "do not record it: this run still counts it as a least developed country; check the UN "
                          "list and update dtc_select/reference/countries.csv (ldc_graduated)",
    }


class IndicatorNotice(Notice):
    """The Internet-use figures a call's need formula uses may not be of its date (reference/indicators.py)."""

    CATALOGUE_PREFIX = "indicator_warning_"
    TEMPLATES = {
        "before_all_editions": "the call's country status date ({as_of}) is before every complete edition of the "
                               "Internet-use figures shipped: the need formula uses the earliest, {title} (published "
                               "{published}), which was not public on the call's date",
        "named_later": "the call file names {title} (published {published}) as the Internet-use figures of its need "
                       "formula, which were not public on the call's country status date ({as_of})",
        "newer_incomplete": "{title} (published {published}, on or before the call's country status date {as_of}) has "
                            "no Internet-use figure for {missing} in the shipped table, so the need formula uses "
                            "{used}; complete dtc_select/reference/regional_indicators.csv to use the newer edition",
    }


def scheduled_ldc_graduations(table) -> list[tuple[str, str, dt.date]]:
    """(iso3, English name, date) of each LDC graduation a CountryTable lists as scheduled: in
    `note` as "scheduled graduation YYYY-MM-DD" (written so by data/reference_build), and not yet
    in `ldc_graduated`."""
    scheduled = []
    for iso3, row in table.frame.iterrows():
        found = SCHEDULED_GRADUATION.search(str(row["note"]))
        if found and pd.isna(row["ldc_graduated"]):
            scheduled.append((str(iso3), str(row["name_en"]), dt.date.fromisoformat(found.group(1))))
    return scheduled


def reference_notices(as_of: dt.date, tables_as_of: dt.date,
                      scheduled: list[tuple[str, str, dt.date]]) -> tuple[ReferenceNotice, ...]:
    """What the run should say about reference data older than the call: `scheduled` lists
    (iso3, English name, date) of LDC graduations the tables know only as scheduled."""
    if as_of <= tables_as_of:
        return ()
    due = [ReferenceNotice("graduation_due", country=name, iso3=iso3, date=date, as_of=as_of)
           for iso3, name, date in sorted(scheduled, key=lambda s: (s[2], s[0])) if date <= as_of]
    return (ReferenceNotice("tables_older", as_of=as_of, tables=tables_as_of), *due)
