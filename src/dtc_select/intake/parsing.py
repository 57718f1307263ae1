"""Reading one cell of text as a typed value, with the problem in plain words when it cannot be.

Every parser takes the cell's text (already stripped, never empty) and returns `(value, problem)`:
`value` is the typed value (None when the cell cannot be read) and `problem` the end of a sentence
that starts with the column and the value, e.g. "is not a whole number" gives
"training_labs 'two' is not a whole number". `parse_column` applies one parser to a whole column,
once per distinct text, and builds those sentences.

What is accepted (contract §1), and why:
- yes/no: true/false, yes/no, y/n, 1/0, oui/non, vrai/faux, and `x` for yes, in any case.
- whole numbers: digits, optionally with spaces (normal, no-break, thin) between groups of three
  ("1 200"), and a trailing ".0" ("12.0", as spreadsheets write them). A comma is never accepted
  in a whole number: "1,5" and "1,500" could each mean two different numbers.
- numbers: a dot for decimals, or a decimal comma when the value has one comma and no dot ("2,5").
  One comma followed by exactly three digits ("50,000") is ambiguous (thousands or decimals) and is
  a problem rather than a guess.
- dates: ISO 8601 dates and date-times, with or without a zone (no zone means UTC); year-first
  "2019/11/30"; day/month/year with a four-digit year (30/11/2019, and also 11/30/2019).
  03/04/2019 could be either: it is read in the order of its column (`dates.py`: the call's
  declared order, or the order the column's other dates prove), and is a problem only when
  nothing settles that order.

Headers and names a person would call the same are compared by `folded_words` (no case, accents,
spacing or punctuation): `header_key` for the call file's header mapping, `institution_key` for
possible duplicates.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd

Parser = Callable[[str], tuple[Any, "str | None"]]

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "oui", "vrai", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "non", "faux"})
BOOLEAN_HINT = "accepted: yes/no, true/false, y/n, 1/0, oui/non, vrai/faux, x for yes"

_SPACES = "[ \u00a0\u2009\u202f]"  # normal, no-break, thin and narrow no-break spaces
_GROUPED = re.compile(rf"^[+-]?\d{{1,3}}(?:{_SPACES}\d{{3}})+(?:[.,]\d+)?$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?\d{1,3},\d{3}$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_ISO_START = re.compile(r"^\d{4}-?\d{2}-?\d{2}")
# Timestamps the pandas datetime64[ns] type can hold.
_FIRST_YEAR, _LAST_YEAR = 1678, 2261


def quote(text: str, limit: int = 60) -> str:
    """The value as a user typed it, in single quotes, cut short if very long."""
    text = " ".join(text.split()) if "\n" in text or "\r" in text else text
    return f"'{text[: limit - 1]}…'" if len(text) > limit else f"'{text}'"


def normalise_name(text: str) -> str:
    """Header or choice as an identifier: 'Public institution ' -> 'public_institution'."""
    return re.sub(r"[\s\-]+", "_", text.replace("\ufeff", "").strip().casefold())


def folded_words(text: str) -> list[str]:
    """The words of a text without case, accents or punctuation: "À but non-lucratif ?" ->
    ['a', 'but', 'non', 'lucratif']. Two spellings a person would call the same give the same words."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", bare.casefold())


def header_key(text: str) -> str:
    """How a header is matched to the call file's `intake.column_names`: 'nom_de_l_institution'."""
    return "_".join(folded_words(text))


def header_lookup(column_names: Mapping[str, Iterable[str]], columns: Iterable[str] = ()) -> dict[str, str]:
    """{header_key(spelling): column} from {column: [spellings]}. ValueError naming a spelling that
    is given for two columns, or that is the name of another of the `columns` (a header can mean
    only one column)."""
    lookup: dict[str, str] = {}
    meaning = {header_key(c): (c, "its own name") for c in columns}
    for column, spellings in column_names.items():
        for spelling in spellings:
            key = header_key(spelling)
            if not key:
                raise ValueError(f"{column}: {spelling!r} has no letters or digits to match a header by")
            owner, how = meaning.get(key, (column, ""))
            if owner != column:
                raise ValueError(f"{spelling!r} is given for {column} but already means {owner} ({how}): "
                                 f"a header can mean only one column")
            meaning[key], lookup[key] = (column, f"given as {spelling!r}"), column
    return lookup


def institution_key(text: str) -> str:
    """How two institution names are compared for possible duplicates: letters and digits only,
    so "I.C.T. Centre", "ICT-Centre" and "ict centre" are the same name."""
    if text.isascii():  # most names: no accent to take off, only case and punctuation (5x faster)
        return text.lower().translate(_ASCII_PUNCTUATION_OUT)
    return "".join(folded_words(text))


# ASCII has no compatibility decomposition and casefolds as it lowers: `folded_words` of an
# ASCII text is its letters and digits, lower-cased.
_ASCII_PUNCTUATION_OUT = str.maketrans("", "", "".join(c for c in map(chr, range(128)) if not c.isalnum()))


# --- one cell ------------------------------------------------------------------------------------

def parse_boolean(text: str) -> tuple[bool | None, str | None]:
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    return None, f"is not a yes/no answer ({BOOLEAN_HINT})"


def _decimal(text: str, *, decimal_comma: bool) -> tuple[Decimal | None, str | None]:
    """Text as an exact Decimal, or the reason it is not a number."""
    value = text.strip()
    if _GROUPED.match(value):
        value = re.sub(_SPACES, "", value)
    if "," in value:
        if not decimal_comma:
            return None, ("is not a whole number (a comma could separate thousands or decimals; "
                          "write digits only)")
        if _AMBIGUOUS_COMMA.match(value):
            whole, fraction = value.split(",")
            return None, (f"is ambiguous (the comma could separate thousands or decimals); write "
                          f"{whole}{fraction} or {float(whole + '.' + fraction):g} as meant")
        if not _DECIMAL_COMMA.match(value):
            return None, "is not a number"
        value = value.replace(",", ".")
    if not _PLAIN.match(value):
        return None, None
    try:
        return Decimal(value), None
    except InvalidOperation:  # pragma: no cover - the pattern above only lets numbers through
        return None, None


def parse_integer(text: str) -> tuple[int | None, str | None]:
    """A whole number >= 0 that fits a 64-bit integer."""
    number, problem = _decimal(text, decimal_comma=False)
    if number is None:
        return None, problem or "is not a whole number"
    if number != number.to_integral_value():
        return None, "is not a whole number"
    if number < 0:
        return None, "is negative"
    if number >= 2**63:
        return None, "is too large"
    return int(number), None


def parse_number(text: str, *, allow_negative: bool = False) -> tuple[float | None, str | None]:
    """A finite number (>= 0 unless `allow_negative`)."""
    number, problem = _decimal(text, decimal_comma=True)
    if number is None:
        return None, problem or "is not a number"
    value = float(number)
    if value in (float("inf"), float("-inf")):
        return None, "is too large"
    if value < 0 and not allow_negative:
        return None, "is negative"
    return value, None


def _timestamp(value: dt.datetime) -> tuple[pd.Timestamp | None, str | None]:
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        return None, f"is outside the years {_FIRST_YEAR} to {_LAST_YEAR}"
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.as_unit("ns"), None


DAY_FIRST, MONTH_FIRST = "day_first", "month_first"
DATE_ORDER_WORDS = {DAY_FIRST: "day first (DD/MM/YYYY)", MONTH_FIRST: "month first (MM/DD/YYYY)"}
AMBIGUOUS_DATE = "is ambiguous (day and month could be swapped); use YYYY-MM-DD"


def day_month_order(text: str) -> str | None:
    """Which order a day/month/year text can only be read in: DAY_FIRST ('15/09/2019'),
    MONTH_FIRST ('09/15/2019'), or None (not such a text, or either order reads it)."""
    match = _DAY_MONTH_YEAR.match(text.strip())
    if not match:
        return None
    first, second = int(match[1]), int(match[2])
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def parse_date(text: str, order: str | None = None, *,
               undecided: str = AMBIGUOUS_DATE) -> tuple[pd.Timestamp | None, str | None]:
    """A date or date-time as a UTC timestamp (a date alone is midnight UTC).

    `order` (DAY_FIRST or MONTH_FIRST) reads day/month/year texts in that order only; without it,
    a text only one order can read is read so, and one either order could read is a problem
    worded `undecided`."""
    value = text.strip()
    not_a_date = "is not a date (use YYYY-MM-DD)"
    if _ISO_START.match(value):
        try:
            return _timestamp(dt.datetime.fromisoformat(value))
        except ValueError:
            return None, "is not a valid date (use YYYY-MM-DD)"
    match = _YEAR_FIRST.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _calendar_date(year, month, day)
    match = _DAY_MONTH_YEAR.match(value)
    if not match:
        return None, not_a_date
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if order is not None:
        day, month = (first, second) if order == DAY_FIRST else (second, first)
        if not (1 <= month <= 12):
            return None, f"is not a valid date read {DATE_ORDER_WORDS[order]}, the order of the column"
    elif first <= 12 and second <= 12 and first != second:
        return None, undecided
    else:
        day, month = (first, second) if second <= 12 else (second, first)
    hour, minute, sec = int(match[4] or 0), int(match[5] or 0), int(match[6] or 0)
    return _calendar_date(year, month, day, hour, minute, sec)


def _calendar_date(*parts: int) -> tuple[pd.Timestamp | None, str | None]:
    try:
        return _timestamp(dt.datetime(*parts))
    except ValueError:
        return None, "is not a valid date (use YYYY-MM-DD)"


def choice_parser(choices: Iterable[str], aliases: dict[str, str] | None = None) -> Parser:
    """A parser for one of `choices`, ignoring case, spaces and hyphens; `aliases` maps other
    spellings (a value's labels, by `header_key`: no case, accents or punctuation) to a choice."""
    choices = tuple(choices)
    known = {c: c for c in choices} | dict(aliases or {})
    problem = f"is not one of: {', '.join(choices)}"

    def parse(text: str) -> tuple[str | None, str | None]:
        name = normalise_name(text)
        if name not in known:
            name = header_key(text)
        return (known[name], None) if name in known else (None, problem)

    return parse


# --- one column ----------------------------------------------------------------------------------

def clean_text(values: Any) -> pd.Series:
    """Cells as text: surrounding spaces removed, empty or blank cells <NA> (dtype "string").

    Works on the distinct values only, so a column of repeated answers costs little; a
    categorical column (`delimited.plain_columns`) already holds them.
    """
    return _cleaned(values)[0]


def clean_distinct(values: Any) -> tuple[pd.Series, np.ndarray, list]:
    """`clean_text`, with what `distinct` would say of it: (texts, codes, the distinct texts)."""
    texts, codes, cleaned = _cleaned(values)
    # Two texts the same once stripped (' R1', 'R1') are one distinct text.
    merged, distinct_texts = pd.factorize(pd.Series(cleaned + [None], dtype=object), use_na_sentinel=True)
    return texts, merged[np.where(codes == -1, len(cleaned), codes)], list(distinct_texts.tolist())


def _cleaned(values: Any) -> tuple[pd.Series, np.ndarray, list]:
    """(the cleaned texts, each cell's code of its value as read, the cleaned distinct values)."""
    if isinstance(values, pd.Categorical):
        codes, uniques = values.codes, values.categories
    else:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    cleaned = [(str(u).strip() or None) if u is not None else None for u in uniques.tolist()]
    # Taken from the distinct cleaned texts: no text is checked again per cell.
    return pd.Series(pd.array(cleaned, dtype="string").take(codes, allow_fill=True)), codes, cleaned


def _take(values: list, codes: np.ndarray) -> np.ndarray:
    """values[code] for every code, None for the code -1 (a missing cell)."""
    table = np.empty(len(values) + 1, dtype=object)
    table[: len(values)] = values
    table[-1] = None
    return table[codes]


def distinct(texts: pd.Series) -> tuple[np.ndarray, list]:
    """(codes, the distinct texts): texts[i] is distinct[codes[i]], code -1 for <NA>."""
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    return codes, list(uniques.tolist())


def parse_column(column: str, texts: pd.Series, parser: Parser | None, *, required: bool,
                 dtype: Any) -> tuple[pd.Series, pd.Series]:
    """Parse every cell of `texts` (str or <NA>, stripped) with `parser` (None: text as is).

    Returns the typed values (dtype `dtype`, <NA> where empty or unreadable) and, per row, the
    problem sentence or None: "<column> '<value>' <problem>", or "<column> is empty; it is
    required" for an empty required cell. Each distinct text is parsed once.
    """
    return parse_distinct(column, *distinct(texts), parser, required=required, dtype=dtype, index=texts.index)


def parse_distinct(column: str, codes: np.ndarray, uniques: list, parser: Parser | None, *, required: bool,
                   dtype: Any, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """`parse_column` of the column `distinct` gave as (codes, uniques); the typed values also
    per distinct text, then taken for every row (nothing is checked or converted per cell)."""
    values, problems = parse_texts(column, uniques, parser, required=required)
    positions = np.where(codes == -1, len(uniques), codes)  # the last distinct value: the empty cell
    return typed_values(values, positions, dtype, index), \
        pd.Series(_take(problems[:-1], codes) if problems[-1] is None else np.array(problems, dtype=object)[positions],
                  index=index, dtype=object)


def parse_texts(column: str, uniques: list, parser: Parser | None, *, required: bool) -> tuple[list, list]:
    """(values, problems) of each distinct text and, last, of an empty cell: value None, problem
    "<column> is empty; it is required" or None."""
    parsed = [parser(text) if parser else (text, None) for text in uniques]
    problems = [None if problem is None else f"{column} {quote(text)} {problem}"
                for text, (_, problem) in zip(uniques, parsed)]
    return [value for value, _ in parsed] + [None], problems + [f"{column} is empty; it is required" if required else None]


def typed_values(values: list, positions: np.ndarray, dtype: Any, index: pd.Index) -> pd.Series:
    """values[positions] as a column of `dtype` ("datetime": UTC timestamps); None is <NA>."""
    if dtype == "datetime":
        stamps = pd.DatetimeIndex([pd.NaT if v is None else v for v in values], tz="UTC").as_unit("ns")
        return pd.Series(stamps[positions], index=index)
    return pd.Series(pd.array(values, dtype=dtype).take(positions), index=index)


# --- rows --------------------------------------------------------------------------------------

def first_seen(keys: pd.Series, source_row: pd.Series) -> pd.Series:
    """For every later row whose key was seen before: the source_row of the first (the smallest
    source_row of its key); else <NA>."""
    codes, _ = pd.factorize(keys, use_na_sentinel=True)
    later, first = repeated_codes(codes, source_row.to_numpy(dtype="int64"))
    values, missing = np.zeros(len(codes), dtype="int64"), np.ones(len(codes), dtype=bool)
    values[later], missing[later] = first, False
    return pd.Series(pd.arrays.IntegerArray(values, missing), index=keys.index)


def repeated_codes(codes: np.ndarray, source_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the rows whose code (-1: no key) an earlier row has, in order, and for each
    the smallest source_row of its code. Only the rows of a code counted more than once are looked
    at beyond the count (a few hundred of 2.4 million score rows): no array the length of the
    table is made but a count per code and a mask."""
    known = codes >= 0
    nothing = np.zeros(0, dtype=np.intp), np.zeros(0, dtype="int64")
    if not known.any():
        return nothing
    counts = np.bincount(codes[known])
    shared = np.flatnonzero(known & (counts[np.where(known, codes, 0)] > 1))
    if not len(shared):
        return nothing
    rows = pd.DataFrame({"code": codes[shared], "source_row": source_row[shared]})
    smallest = rows.groupby("code")["source_row"].transform("min").to_numpy(dtype="int64")
    later = rows["code"].duplicated().to_numpy()
    return shared[later], smallest[later]


def join_problems(problems: list[pd.Series], index: pd.Index) -> pd.Series:
    """Per row: its problems joined with '; ' ('' when none), in the order given."""
    columns = [np.asarray(x, dtype=object) for x in problems]
    words = np.full(len(index), "", dtype=object)
    # A cell without a problem is None or NaN (pandas turns None into NaN when a Series is set);
    # only the rows with a problem are looked at one by one.
    with_problem = np.zeros(len(index), dtype=bool)
    for column in columns:
        with_problem |= ~pd.isna(column)
    rows = np.flatnonzero(with_problem)
    table = np.column_stack([column[rows] for column in columns]) if columns else np.empty((0, 0), dtype=object)
    for i, cells in zip(rows, table):
        words[i] = "; ".join(x for x in cells if isinstance(x, str))
    return pd.Series(words, index=index, dtype=object)
