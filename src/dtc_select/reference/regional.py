"""The reference tables of regional need and of past outcomes, read and checked like the others.

- `population.csv`: population of the countries a need formula counts people in (the least
  developed countries), with year, source and confidence.
- `past_outcomes.csv`: how many centres each region received in a past phase (the real phase 1,
  as selected and as it ran), with sources, so a report can set its seats beside them.
Sources and confidence are explained in `reference/SOURCES.md`. A malformed row raises
ReferenceDataError naming the file and the line.
"""

from __future__ import annotations

import functools

import pandas as pd

from dtc_select.reference.countries import (
    CONFIDENCE_LEVELS,
    REGIONS,
    _one_of,
    _read_csv,
    _resource,
    _where,
    load_country_table,
)
from dtc_select.errors import ReferenceDataError

POPULATION_FILE = "population.csv"
PAST_OUTCOMES_FILE = "past_outcomes.csv"
POPULATION_COLUMNS = ("iso3", "year", "population_thousands", "source", "confidence")
PAST_OUTCOME_COLUMNS = ("outcome", "label", "short_label", "region", "centres", "source", "confidence",
                        "label_fr", "short_label_fr", "source_fr")
# Texts said once per outcome (the same on its six rows); *_fr are the French report's.
PAST_OUTCOME_TEXTS = ("label", "short_label", "source", "label_fr", "short_label_fr", "source_fr")


def _whole(value: str, where: str, column: str, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ReferenceDataError(f"{where}: {column} {value!r} is not a whole number") from None
    if number < minimum:
        raise ReferenceDataError(f"{where}: {column} {number} is below {minimum}")
    return number


@functools.cache
def _population() -> pd.DataFrame:
    label = f"dtc_select/reference/{POPULATION_FILE}"
    with _resource(POPULATION_FILE).open("rb") as fh:
        raw = _read_csv(fh, label, POPULATION_COLUMNS)
    known = load_country_table().frame.index
    for i, row in enumerate(raw.itertuples(index=False)):
        where = _where(label, i, row.iso3)
        if row.iso3 not in known:
            raise ReferenceDataError(f"{where}: {row.iso3!r} is not in countries.csv")
        _whole(row.year, where, "year", 1950)
        _whole(row.population_thousands, where, "population_thousands", 1)
        _one_of(where, "confidence", row.confidence, CONFIDENCE_LEVELS)
    if raw["iso3"].duplicated().any():
        raise ReferenceDataError(f"{label}: a country appears twice: {sorted(set(raw['iso3'][raw['iso3'].duplicated()]))}")
    frame = raw.set_index("iso3")
    frame["year"] = frame["year"].astype("int64")
    frame["population_thousands"] = frame["population_thousands"].astype("int64")
    return frame


def load_population() -> pd.DataFrame:
    """Indexed by iso3: year, population_thousands (int), source, confidence. A copy."""
    return _population().copy()


@functools.cache
def _past_outcomes() -> pd.DataFrame:
    label = f"dtc_select/reference/{PAST_OUTCOMES_FILE}"
    with _resource(PAST_OUTCOMES_FILE).open("rb") as fh:
        raw = _read_csv(fh, label, PAST_OUTCOME_COLUMNS)
    for i, row in enumerate(raw.itertuples(index=False)):
        where = _where(label, i, f"{row.outcome} {row.region}")
        _one_of(where, "region", row.region, REGIONS)
        _whole(row.centres, where, "centres", 0)
        _one_of(where, "confidence", row.confidence, CONFIDENCE_LEVELS)
    for outcome, group in raw.groupby("outcome", sort=False):
        if sorted(group["region"]) != sorted(REGIONS):
            raise ReferenceDataError(f"{label}: outcome {outcome!r} needs exactly one row per region")
        if any(group[c].nunique() != 1 or not group[c].iloc[0] for c in PAST_OUTCOME_TEXTS):
            raise ReferenceDataError(f"{label}: outcome {outcome!r} needs one non-empty "
                                     f"{', '.join(PAST_OUTCOME_TEXTS)}")
    frame = raw.copy()
    frame["centres"] = frame["centres"].astype("int64")
    return frame


def past_outcome_ids() -> tuple[str, ...]:
    """The outcomes a call file may compare with, in file order."""
    return tuple(dict.fromkeys(_past_outcomes()["outcome"]))


def past_outcome(outcome: str) -> dict:
    """One past outcome: label, short_label (a table heading), source (each also in French:
    label_fr, ...), confidence and centres per region (REGIONS order)."""
    frame = _past_outcomes()
    rows = frame[frame["outcome"] == outcome]
    if rows.empty:
        raise ValueError(f"unknown past outcome {outcome!r}; known: {', '.join(past_outcome_ids())}")
    first = rows.iloc[0]
    centres = rows.set_index("region")["centres"]
    return {"outcome": outcome, **{text: first[text] for text in PAST_OUTCOME_TEXTS},
            "confidence": ", ".join(sorted(set(rows["confidence"]))),
            "centres": {r: int(centres[r]) for r in REGIONS}}
