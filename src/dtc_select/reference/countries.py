"""Country names and codes (English, French) -> ISO3, and facts per country as of a date.

The shipped tables live in `dtc_select/reference/` (see SOURCES.md there, "as of" 2026-11-23):
`countries.csv` (ITU Member States plus State of Palestine, Palau and Kosovo) and `itu_offices.csv`
(Internet use per region, edition by edition: `indicators.py`). Nothing is read at import time;
`load_country_table()` reads and checks the tables once and caches them. Only the standard library
and pandas are used.

Resolving a name: the text is normalised (`normalise_country_text`: accents stripped, case folded,
typographic apostrophes and dashes unified, spaces collapsed) and looked up among ISO alpha-3,
ISO alpha-2, English and French names and aliases. When that fails, a compact form without any
punctuation or spaces is tried against names and aliases only (so "cote divoire", "Cote d Ivoire",
"U.S.A." resolve, while "N/A" never becomes Namibia's code), then the same without a leading
article ("The Gambia", "le Sénégal", "l'Inde"). Codes match only as typed (any case, stray spaces).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Iterable

import pandas as pd

from dtc_select.errors import ReferenceDataError

REFERENCE_AS_OF = dt.date(2026, 11, 23)
"""The date the shipped tables describe. Statuses on later dates ignore anything decided after it
(a scheduled LDC graduation is only in `note`, not in `ldc_graduated`, until it takes effect)."""

REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")
DEVELOPMENT_CLASSES = ("developing", "developed", "ambiguous")
CONFIDENCE_LEVELS = ("verified", "reported", "inferred", "uncertain")

COUNTRIES_FILE = "countries.csv"
OFFICES_FILE = "itu_offices.csv"

COUNTRY_COLUMNS = (
    "iso3", "iso2", "m49", "name_en", "name_fr", "aliases", "region", "itu_member", "development",
    "ldc_included", "ldc_graduated", "ldc_confidence", "region_confidence", "note",
)
OFFICE_COLUMNS = (
    "office", "office_type", "city", "country", "iso3", "region_served", "opened", "confidence",
    "source", "note",
)
FACT_COLUMNS = ("country_name", "region", "is_ldc", "development", "itu_office")

# ---------------------------------------------------------------------------------------------
# Normalising text

_APOSTROPHES = "\u2019\u2018\u02bc\u0060\u00b4\u2032\u201b\uff07\u02b9"  # ’ ‘ ʼ ` ´ ′ ‛ ＇ ʹ
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"  # ‐ ‑ ‒ – — ― − ﹘ ﹣ －
_TRANSLATE = str.maketrans(
    {
        **{c: "'" for c in _APOSTROPHES},
        **{c: "-" for c in _DASHES},
        # letters NFKD does not decompose
        "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
    }
)
_LEADING_ARTICLE = re.compile(r"^(?:(?:the|la|le|les)\s+|l'\s*)")


def normalise_country_text(text: object) -> str:
    """The form names are compared in: accents stripped (NFKD), case folded, typographic
    apostrophes -> ', dash variants -> -, whitespace collapsed and stripped.

    >>> normalise_country_text("  Côte d’Ivoire ")
    "cote d'ivoire"
    """
    if text is None:
        return ""
    s = str(text).translate(_TRANSLATE)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.casefold().split())


def compact_country_text(text: object) -> str:
    """The second key: the normalised text with every space and punctuation mark removed, so that
    "cote divoire", "Cote d Ivoire" and "COTE D'IVOIRE" all become "cotedivoire"."""
    return "".join(ch for ch in normalise_country_text(text) if ch.isalnum())


# ---------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True, eq=False)
class CountryTable:
    """The shipped country facts and every accepted spelling.

    `frame`: one row per country, indexed by `iso3` (columns of countries.csv as strings, e.g.
    `itu_member` "Y"/"N"; `ldc_included` and `ldc_graduated` as datetime64, NaT when empty).
    `lookup`: normalised spelling (codes, names, aliases) -> iso3.
    `compact_lookup`: punctuation-free names and aliases -> iso3. `offices`: the ITU offices.
    Treat all of them as read-only: the table is cached and shared.
    """

    frame: pd.DataFrame
    lookup: dict[str, str]
    compact_lookup: dict[str, str] = field(default_factory=dict)
    offices: pd.DataFrame = field(default_factory=pd.DataFrame)

    # -- resolving ----------------------------------------------------------------------------
    def resolve_one(self, value: object) -> str | None:
        """ISO3 for one spelling, or None."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        text = normalise_country_text(value)
        if not text:
            return None
        found = self.lookup.get(text)
        if found is not None:
            return found
        compact = compact_country_text(text)
        if compact and (found := self.compact_lookup.get(compact)) is not None:
            return found
        bare = _LEADING_ARTICLE.sub("", text)
        if bare != text:
            compact = compact_country_text(bare)
            if compact:
                return self.compact_lookup.get(compact)
        return None

    def resolve(self, values: pd.Series) -> pd.Series:
        """ISO3 per value (same index, dtype "string"), <NA> where empty or not recognised.

        Each distinct value is resolved once, so 100,000 rows naming 150 countries cost 150
        look-ups."""
        if not isinstance(values, pd.Series):
            values = pd.Series(values)
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        mapping = {value: self.resolve_one(value) for value in pd.unique(values.dropna())}
        return values.map(mapping).astype("string")  # values not in mapping (missing) -> <NA>

    # -- facts --------------------------------------------------------------------------------
    def facts(self, iso3: pd.Series, as_of: dt.date) -> pd.DataFrame:
        """Facts per row (same index) as they stood on `as_of`.

        `country_name` (English, string), `region` (AFR/AMS/ARB/ASP/CIS/EUR, string), `is_ldc`
        (boolean: ldc_included <= as_of < ldc_graduated), `development` (string: developing /
        developed, <NA> where the classification is not settled), `itu_office` (boolean: an ITU
        regional or area office open in the country on that date). Unknown or missing ISO3:
        <NA> in every column.
        """
        if not isinstance(iso3, pd.Series):
            iso3 = pd.Series(iso3)
        per_country = self._facts_by_country(as_of)
        codes = iso3.astype("string").str.strip().str.upper().fillna("")
        out = per_country.reindex(pd.Index(codes.to_numpy(dtype=object)))
        out.index = iso3.index
        return out

    def facts_by_country(self, as_of: dt.date) -> pd.DataFrame:
        """The facts of every country on `as_of`, indexed by iso3 (see `facts`). A copy."""
        return self._facts_by_country(as_of).copy()

    # The table is loaded once per process and lives as long as it (load_country_table is cached):
    # caching on the method keeps it alive no longer than it lives anyway.
    @functools.lru_cache(maxsize=32)  # noqa: B019
    def _facts_by_country(self, as_of: dt.date) -> pd.DataFrame:
        day = _as_timestamp(as_of)
        f = self.frame
        included, graduated = f["ldc_included"], f["ldc_graduated"]
        is_ldc = included.notna() & (included <= day) & ~(graduated.notna() & (graduated <= day))
        development = f["development"].where(f["development"] != "ambiguous")
        open_offices = self.offices[self.offices["opened"].isna() | (self.offices["opened"] <= day)]
        return pd.DataFrame(
            {
                "country_name": f["name_en"].astype("string"),
                "region": f["region"].astype("string"),
                "is_ldc": is_ldc.astype("boolean"),
                "development": development.astype("string"),
                "itu_office": f.index.isin(open_offices["iso3"]),
            },
            index=f.index,
        ).astype({"itu_office": "boolean"})

    # -- names --------------------------------------------------------------------------------
    def name(self, iso3: str) -> str:
        """English short name; KeyError for an unknown code."""
        return str(self.frame.at[_code(iso3), "name_en"])

    def name_fr(self, iso3: str) -> str:
        """French short name (UN usage); KeyError for an unknown code."""
        return str(self.frame.at[_code(iso3), "name_fr"])


def _code(iso3: str) -> str:
    return str(iso3).strip().upper()


def _as_timestamp(as_of: object) -> pd.Timestamp:
    if isinstance(as_of, dt.datetime):
        if as_of.tzinfo is not None:
            as_of = as_of.astimezone(dt.timezone.utc)
        as_of = as_of.date()
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    if not isinstance(as_of, dt.date):
        raise TypeError(f"as_of must be a date, not {type(as_of).__name__}")
    return pd.Timestamp(as_of)


# ---------------------------------------------------------------------------------------------
# Loading and checking


def _resource(name: str):
    return files("dtc_select").joinpath("reference", name)


def _read_csv(source, label: str, columns: Iterable[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, na_filter=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ReferenceDataError(f"{label}: cannot be read: {exc}") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{label}: missing columns: {', '.join(missing)}")
    return frame.apply(lambda col: col.str.strip())


def _where(label: str, i: int, key: str = "") -> str:
    """`countries.csv line 12 (CIV)`: line numbers count the header as line 1."""
    return f"{label} line {i + 2}" + (f" ({key})" if key else "")


def _one_of(where: str, column: str, value: str, allowed: Iterable[str]) -> None:
    if value not in allowed:
        raise ReferenceDataError(f"{where}: {column} {value!r} is not one of {', '.join(allowed)}")


def _parse_date(value: str, where: str, column: str) -> pd.Timestamp | None:
    if not value:
        return None
    try:
        return pd.Timestamp(dt.date.fromisoformat(value))
    except ValueError:
        raise ReferenceDataError(f"{where}: {column} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _check_countries(raw: pd.DataFrame, label: str) -> pd.DataFrame:
    seen_iso3: dict[str, int] = {}
    seen_iso2: dict[str, int] = {}
    included, graduated = [], []
    for i, row in enumerate(raw.itertuples(index=False)):
        where = _where(label, i, row.iso3)
        if not re.fullmatch(r"[A-Z]{3}", row.iso3):
            raise ReferenceDataError(f"{where}: iso3 {row.iso3!r} is not three capital letters")
        if not re.fullmatch(r"[A-Z]{2}", row.iso2):
            raise ReferenceDataError(f"{where}: iso2 {row.iso2!r} is not two capital letters")
        if row.m49 and not re.fullmatch(r"\d{3}", row.m49):
            raise ReferenceDataError(f"{where}: m49 {row.m49!r} is not a three-digit code")
        for seen, code in ((seen_iso3, row.iso3), (seen_iso2, row.iso2)):
            if code in seen:
                raise ReferenceDataError(f"{where}: code {code} is already used on line {seen[code] + 2}")
            seen[code] = i
        if not row.name_en or not row.name_fr:
            raise ReferenceDataError(f"{where}: name_en and name_fr are required")
        _one_of(where, "region", row.region, REGIONS)
        _one_of(where, "itu_member", row.itu_member, ("Y", "N"))
        _one_of(where, "development", row.development, DEVELOPMENT_CLASSES)
        _one_of(where, "region_confidence", row.region_confidence, CONFIDENCE_LEVELS)
        inc = _parse_date(row.ldc_included, where, "ldc_included")
        grad = _parse_date(row.ldc_graduated, where, "ldc_graduated")
        if grad is not None and (inc is None or grad <= inc):
            raise ReferenceDataError(
                f"{where}: ldc_graduated {row.ldc_graduated} needs an earlier ldc_included"
            )
        if not row.ldc_confidence:
            raise ReferenceDataError(f"{where}: ldc_confidence is required")
        included.append(inc)
        graduated.append(grad)

    frame = raw.astype("string")
    frame["ldc_included"] = pd.to_datetime(pd.Series(included, dtype="object"))
    frame["ldc_graduated"] = pd.to_datetime(pd.Series(graduated, dtype="object"))
    return frame.set_index("iso3", drop=True)


def _spellings(row) -> tuple[list[str], list[str]]:
    """(codes, names) of one countries.csv row."""
    names = [row.name_en, row.name_fr] + [a for a in row.aliases.split(";") if a.strip()]
    return [row.iso3, row.iso2], names


def _build_lookups(raw: pd.DataFrame, label: str) -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, tuple[str, int, str]] = {}
    compact: dict[str, tuple[str, int, str]] = {}

    def add(table, key, iso3, i, spelling):
        if not key:
            where = _where(label, i, iso3)
            raise ReferenceDataError(f"{where}: spelling {spelling!r} is empty once normalised")
        other = table.get(key)
        if other is not None and other[0] != iso3:
            raise ReferenceDataError(
                f"{_where(label, i, iso3)}: spelling {spelling!r} also names {other[0]} "
                f"({other[2]!r} on line {other[1] + 2})"
            )
        table.setdefault(key, (iso3, i, spelling))

    for i, row in enumerate(raw.itertuples(index=False)):
        codes, names = _spellings(row)
        for spelling in codes:
            add(exact, normalise_country_text(spelling), row.iso3, i, spelling)
        for spelling in names:
            add(exact, normalise_country_text(spelling), row.iso3, i, spelling)
            add(compact, compact_country_text(spelling), row.iso3, i, spelling)
    return {k: v[0] for k, v in exact.items()}, {k: v[0] for k, v in compact.items()}


def _check_offices(raw: pd.DataFrame, label: str, known: pd.Index) -> pd.DataFrame:
    opened = []
    for i, row in enumerate(raw.itertuples(index=False)):
        where = _where(label, i, row.iso3)
        if row.iso3 not in known:
            raise ReferenceDataError(f"{where}: iso3 {row.iso3!r} is not in {COUNTRIES_FILE}")
        _one_of(where, "office_type", row.office_type, ("regional", "area"))
        _one_of(where, "region_served", row.region_served, REGIONS)
        _one_of(where, "confidence", row.confidence, CONFIDENCE_LEVELS)
        opened.append(_parse_date(row.opened, where, "opened"))
    frame = raw.astype("string")
    frame["opened"] = pd.to_datetime(pd.Series(opened, dtype="object"))
    return frame


def build_country_table(countries_source, offices_source, countries_label: str = COUNTRIES_FILE,
                        offices_label: str = OFFICES_FILE) -> CountryTable:
    """Read and check the two tables (paths or file objects) into a CountryTable.

    Any inconsistency raises ReferenceDataError naming the file and the line."""
    raw = _read_csv(countries_source, countries_label, COUNTRY_COLUMNS)
    frame = _check_countries(raw, countries_label)
    lookup, compact = _build_lookups(raw, countries_label)
    raw_offices = _read_csv(offices_source, offices_label, OFFICE_COLUMNS)
    offices = _check_offices(raw_offices, offices_label, frame.index)
    return CountryTable(frame=frame, lookup=lookup, compact_lookup=compact, offices=offices)


@functools.cache
def load_country_table() -> CountryTable:
    """The shipped country table, read and checked once per process."""
    with _resource(COUNTRIES_FILE).open("rb") as countries, _resource(OFFICES_FILE).open("rb") as offices:
        return build_country_table(
            countries, offices, f"dtc_select/reference/{COUNTRIES_FILE}",
            f"dtc_select/reference/{OFFICES_FILE}",
        )


def load_itu_offices() -> pd.DataFrame:
    """ITU regional and area offices (office, office_type, city, country, iso3, region_served,
    opened (datetime64, NaT = in place before 2019), confidence, source, note). A copy."""
    return load_country_table().offices.copy()
