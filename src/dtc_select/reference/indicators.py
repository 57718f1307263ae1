"""Internet use per ITU-D region, edition by edition, and which edition a call uses.

The shipped tables (sources and confidence in `reference/SOURCES.md`):

- `indicator_editions.csv`: one row per edition of ITU's regional estimates: `edition` (its id, a
  year, as a call file names it), `title` and `title_fr`, `published` (the date it was public, or
  the earliest date a source shows it was) with the source and confidence of that date.
- `regional_indicators.csv`: one row per edition and region with a figure: `internet_use_percent`
  (share of individuals using the Internet), `year` (of the figure), `source`, `confidence`, and
  the region's English and French names.

An edition is **complete** when it gives a figure for all six regions; only a complete edition can
compute a need (a region without a figure would get none, or a guess), so a partial edition is
shipped to show what was found, never used. A call uses (`choose_edition`):

1. the edition its file names (`allocation.need.indicator_edition`), when it names one: a
   committee may keep the figures its decisions were published with (one published after the
   call's date is used with a warning: never a silent use of later figures);
2. otherwise the latest complete edition published on or before the call's reference date
   (`country_status.as_of`, the date every other fact of the need formula is read on: a committee
   cannot have used figures published after it);
3. a call dated before every complete edition uses the earliest, with a warning.

A later edition published by the date but incomplete in the table is named in a warning too: the
table, not the world, is behind. A malformed row raises ReferenceDataError naming file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import pandas as pd

from dtc_select.errors import ReferenceDataError
from dtc_select.notices import IndicatorNotice
from dtc_select.reference.countries import (
    CONFIDENCE_LEVELS,
    REGIONS,
    _one_of,
    _parse_date,
    _read_csv,
    _resource,
    _where,
)

EDITIONS_FILE = "indicator_editions.csv"
INDICATORS_FILE = "regional_indicators.csv"
EDITION_COLUMNS = ("edition", "title", "title_fr", "published", "published_source", "published_confidence")
INDICATOR_COLUMNS = (
    "edition", "region", "name_en", "name_fr", "internet_use_percent", "year", "source", "confidence",
)
# How a call came to use its edition (the manifest's `indicator_edition.chosen`).
NAMED, LATEST, EARLIEST = "named_in_call", "latest_on_or_before", "earliest_before_all"


@dataclass(frozen=True)
class Edition:
    """One edition of the regional Internet-use figures: `missing` lists the regions it has no
    figure for in the shipped table (empty: complete)."""

    edition: str
    title: str
    title_fr: str
    published: dt.date
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class EditionChoice:
    """The edition a call uses, how it was chosen (NAMED, LATEST or EARLIEST), on which date, and
    what the run should warn about."""

    edition: Edition
    chosen: str
    as_of: dt.date
    notices: tuple[IndicatorNotice, ...] = ()

    def manifest(self) -> dict:
        """The manifest's record (`indicator_edition`)."""
        return {"edition": self.edition.edition, "title": self.edition.title,
                "published": self.edition.published.isoformat(), "chosen": self.chosen,
                "call_date": self.as_of.isoformat()}


@functools.cache
def _editions() -> dict[str, Edition]:
    label = f"dtc_select/reference/{EDITIONS_FILE}"
    with _resource(EDITIONS_FILE).open("rb") as fh:
        raw = _read_csv(fh, label, EDITION_COLUMNS)
    given = _figures()
    editions: dict[str, Edition] = {}
    for i, row in enumerate(raw.itertuples(index=False)):
        where = _where(label, i, row.edition)
        if not row.edition or row.edition in editions:
            raise ReferenceDataError(f"{where}: edition {row.edition!r} is empty or appears twice")
        if not (row.title and row.title_fr and row.published_source):
            raise ReferenceDataError(f"{where}: title, title_fr and published_source are all needed")
        _one_of(where, "published_confidence", row.published_confidence, CONFIDENCE_LEVELS)
        published = _parse_date(row.published, where, "published")
        if published is None:
            raise ReferenceDataError(f"{where}: published is empty")
        has = set(given.loc[given["edition"] == row.edition, "region"])
        editions[row.edition] = Edition(row.edition, row.title, row.title_fr, published.date(),
                                        tuple(r for r in REGIONS if r not in has))
    unknown = sorted(set(given["edition"]) - set(editions))
    if unknown:
        raise ReferenceDataError(f"dtc_select/reference/{INDICATORS_FILE}: editions {unknown} are not in {EDITIONS_FILE}")
    if not any(e.complete for e in editions.values()):
        raise ReferenceDataError(f"{label}: no edition has a figure for every region {', '.join(REGIONS)}")
    return dict(sorted(editions.items(), key=lambda item: (item[1].published, item[0])))


@functools.cache
def _figures() -> pd.DataFrame:
    label = f"dtc_select/reference/{INDICATORS_FILE}"
    with _resource(INDICATORS_FILE).open("rb") as fh:
        raw = _read_csv(fh, label, INDICATOR_COLUMNS)
    names: dict[str, tuple[str, str]] = {}
    for i, row in enumerate(raw.itertuples(index=False)):
        where = _where(label, i, f"{row.edition} {row.region}")
        _one_of(where, "region", row.region, REGIONS)
        try:
            value, _ = float(row.internet_use_percent), int(row.year)
        except ValueError:
            raise ReferenceDataError(f"{where}: internet_use_percent and year must be numbers") from None
        if not 0 <= value <= 100:
            raise ReferenceDataError(f"{where}: internet_use_percent {value} is not a percentage")
        if not row.source:
            raise ReferenceDataError(f"{where}: source is empty")
        _one_of(where, "confidence", row.confidence, CONFIDENCE_LEVELS)
        if names.setdefault(row.region, (row.name_en, row.name_fr)) != (row.name_en, row.name_fr):
            raise ReferenceDataError(f"{where}: the region's names differ from an earlier row's")
    if raw.duplicated(["edition", "region"]).any():
        raise ReferenceDataError(f"{label}: a region appears twice in one edition")
    if sorted(names) != list(REGIONS):
        raise ReferenceDataError(f"{label}: every region {', '.join(REGIONS)} needs at least one row")
    frame = raw.astype("string")
    frame["internet_use_percent"] = raw["internet_use_percent"].astype("float64")
    frame["year"] = raw["year"].astype("int64")
    return frame


def indicator_editions() -> dict[str, Edition]:
    """Every shipped edition by id, oldest first (by publication date)."""
    return dict(_editions())


def load_regional_indicators(edition: str | None = None) -> pd.DataFrame:
    """Rows of regional_indicators.csv: edition, region, name_en, name_fr, internet_use_percent
    (float), year (int), source, confidence; only `edition`'s when given. A copy."""
    frame = _figures()
    if edition is not None:
        frame = frame[frame["edition"] == edition]
    return frame.reset_index(drop=True).copy()


def region_names() -> dict[str, tuple[str, str]]:
    """Region code -> (English name, French name)."""
    frame = _figures()
    return {str(r.region): (str(r.name_en), str(r.name_fr)) for r in frame.drop_duplicates("region").itertuples()}


def edition_problem(edition: str) -> str | None:
    """Why a call file may not name `edition` (unknown, or incomplete in the table); None if it may."""
    editions = _editions()
    usable = ", ".join(e for e, found in editions.items() if found.complete)
    if edition not in editions:
        return f"unknown indicator edition {edition!r}; shipped complete editions: {usable}"
    if not editions[edition].complete:
        return (f"indicator edition {edition!r} has no Internet-use figure for {', '.join(editions[edition].missing)} "
                f"in dtc_select/reference/{INDICATORS_FILE}, so it cannot compute a need; complete editions: {usable}")
    return None


def latest_on_or_before(editions: list[Edition], as_of: dt.date) -> Edition | None:
    """The complete edition published last on or before `as_of` (None if none was)."""
    before = [e for e in editions if e.complete and e.published <= as_of]
    return max(before, key=lambda e: (e.published, e.edition), default=None)


def choose_edition(as_of: dt.date, named: str | None = None) -> EditionChoice:
    """The edition a call dated `as_of` uses, `named` by its file or chosen by date (module doc)."""
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    editions = _editions()
    if named is not None:
        problem = edition_problem(named)
        if problem:
            raise ValueError(problem)
        edition = editions[named]
        later = () if edition.published <= as_of else (IndicatorNotice(
            "named_later", as_of=as_of, title=edition.title, title_fr=edition.title_fr, published=edition.published),)
        return EditionChoice(edition, NAMED, as_of, later)
    ordered = list(editions.values())
    chosen = latest_on_or_before(ordered, as_of)
    if chosen is None:
        earliest = min((e for e in ordered if e.complete), key=lambda e: (e.published, e.edition))
        return EditionChoice(earliest, EARLIEST, as_of, (IndicatorNotice(
            "before_all_editions", as_of=as_of, edition=earliest.edition, title=earliest.title,
            title_fr=earliest.title_fr, published=earliest.published),))
    skipped = [e for e in ordered if not e.complete and chosen.published < e.published <= as_of]
    return EditionChoice(chosen, LATEST, as_of, tuple(IndicatorNotice(
        "newer_incomplete", as_of=as_of, title=e.title, title_fr=e.title_fr, published=e.published,
        missing=", ".join(e.missing), used=chosen.title, used_fr=chosen.title_fr) for e in skipped))


def call_edition(call) -> EditionChoice:
    """The edition `call` uses: the one its need names, or the latest by its `country_status.as_of`."""
    return choose_edition(call.country_status.as_of, call.allocation.need.indicator_edition)
