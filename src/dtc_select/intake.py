"""Intake: read an applications or scores file, parse every cell, and take in or quarantine rows.

`read_table` turns a CSV or XLSX file into text cells (`str` or <NA>) under normalised headers;
a file that cannot be used at all raises `InputFileError` naming the file and every problem.
`take_in` parses the applications (parsing.py), collects every problem of every row, validates
the parsed rows with `schemas.ApplicationsSchema`, and splits the rows into taken-in applications
and quarantined rows. Nothing is lost: len(applications) + len(quarantine) == rows read.
`take_in_scores` does the same for reviewer scores (contract §2).

Decisions, so that they are stated once:
- `source_row` is the 1-based data row: row 1 is the first row after the header, as a user counts
  rows in a spreadsheet below the header. Blank rows at the end are dropped; blank rows in the
  middle are kept (and quarantined as "the row is empty") so the numbering stays true.
- Cells are read as text with surrounding spaces removed; empty or blank cells are <NA>.
- A CSV row with more non-empty cells than the header has columns is quarantined (a value with an
  unquoted separator shifts every later cell); `RawTable.info["long_rows"]` maps their source_row
  to the problem, and is present only when there are some. An XLSX cell beyond the header, or
  any column with data under an empty header cell, is kept as an extra column `column_<n>`.
- Duplicate application_id (compared after trimming spaces, case kept): the first row is taken in
  if it is otherwise valid; every later row with the same id is quarantined, even when the first
  row is itself quarantined. A later row is never promoted in its place: which row is right is
  for the applicant to say.
- An input column named like a column intake adds (`source_row`, `country_iso3`) is kept as an
  extra column prefixed with `input_`.
"""

from __future__ import annotations

import io
import itertools
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection

import numpy as np
import pandas as pd
import pandera.pandas as pa

from dtc_select import parsing as p
from dtc_select.errors import InputFileError
from dtc_select.schemas import ApplicationsSchema, ScoresSchema, failures_by_row
from dtc_select.vocabulary import DISTANCE_LEARNING, ORGANISATION_TYPES

_KINDS: dict[str, tuple[p.Parser | None, str]] = {
    "text": (None, "string"),
    "boolean": (p.parse_boolean, "boolean"),
    "integer": (p.parse_integer, "Int64"),
    "number": (p.parse_number, "Float64"),
    "date": (p.parse_date, "datetime"),
    "organisation_type": (p.choice_parser(ORGANISATION_TYPES, {
        "community_training_center": "community_training_centre"}), "string"),
    "distance_learning": (p.choice_parser(DISTANCE_LEARNING), "string"),
}

# Contract §1, in its order: column -> (kind, required).
APPLICATION_FIELDS: dict[str, tuple[str, bool]] = {
    "application_id": ("text", True),
    "institution_name": ("text", True),
    "country": ("text", True),
    "city": ("text", False),
    "organisation_type": ("organisation_type", True),
    "non_profit": ("boolean", True),
    "offers_basic_training": ("boolean", True),
    "offers_intermediate_training": ("boolean", True),
    "training_labs": ("integer", True),
    "workstations": ("integer", True),
    "internet_mbps": ("number", False),
    "government_endorsement": ("boolean", False),
    "research_capacity": ("boolean", False),
    "distance_learning": ("distance_learning", True),
    "has_mission_statement": ("boolean", False),
    "has_business_plan": ("boolean", False),
    "innovation_programmes": ("boolean", False),
    "committed_staff": ("integer", False),
    "committed_budget_usd": ("number", False),
    "scaling_plan": ("boolean", False),
    "trainees_last_year": ("integer", False),
    "trainers": ("integer", False),
    "submitted_at": ("date", True),
    "contact_name": ("text", False),
    "contact_email": ("text", False),
    "contact_phone": ("text", False),
    "description": ("text", False),
}
APPLICATION_COLUMNS: tuple[str, ...] = tuple(APPLICATION_FIELDS)
REQUIRED_APPLICATION_COLUMNS: tuple[str, ...] = tuple(c for c, (_, r) in APPLICATION_FIELDS.items() if r)
# Columns intake and the later stages add to each application. An extra input column with one of
# these names (a spreadsheet's own "status" or "score" column, say) is kept as `input_<name>`,
# so it can never be mistaken for, or collide with, what dtc-select computed.
ADDED_COLUMNS = frozenset({
    "source_row", "country_iso3", "country_name", "region", "host_is_ldc", "host_development",
    "host_region", "itu_office", "presence", "eligible", "ineligibility_reasons", "reviewer_mean",
    "reviewers", "merit_score", "priority_bonus", "score", "rank", "tie_break_note", "status",
    "region_rank", "reserve_position", "seat_source", "reasons", "reviewer_mean_raw",
    "reviewer_disagreement", "disagreement_flagged", "missing_reviewer_criteria", "scoring_note",
    "selection_probability", "margin_to_cutoff", "stability_note",
})
ADDED_PREFIXES = ("rule_", "criterion_", "input_")


def _kept_name(column: str) -> str:
    return f"input_{column}" if column in ADDED_COLUMNS or column.startswith(ADDED_PREFIXES) else column

SCORE_COLUMNS: tuple[str, ...] = (
    "application_id", "reviewer_id", "criterion", "score", "comment", "conflict_of_interest")
REQUIRED_SCORE_COLUMNS: tuple[str, ...] = ("application_id", "reviewer_id", "criterion", "score")

EMPTY_ROW = "the row is empty"


@dataclass(frozen=True)
class RawTable:
    """A file as text: `frame` cells are str or <NA> (dtype "string"), index 0..n-1, headers
    normalised; `info` = format, encoding, separator, sheet, rows (and long_rows, see above)."""

    path: Path
    frame: pd.DataFrame
    info: dict


@dataclass(frozen=True)
class Intake:
    applications: pd.DataFrame
    quarantine: pd.DataFrame
    extra_columns: tuple[str, ...]


@dataclass(frozen=True)
class ScoresIntake:
    scores: pd.DataFrame
    problems: pd.DataFrame


# --- reading -------------------------------------------------------------------------------------

def read_table(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file as text cells. Unusable file -> InputFileError (one line)."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(path, "file not found")
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputFileError(path, "the file is empty")
    suffix = path.suffix.casefold()
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputFileError(path, "is an old-style Excel (.xls) or password-protected workbook; "
                                   "save it as .xlsx without a password, or as CSV")
    if suffix in {".xlsx", ".xlsm", ".xltx", ".xltm"} or data.startswith(b"PK\x03\x04"):
        rows, info = _xlsx_rows(path, data, sheet)
    else:
        rows, info = _csv_rows(path, data)
    return _table(path, rows, info)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _csv_rows(path: Path, data: bytes) -> tuple[list[list[str | None]], dict]:
    try:
        text, encoding = p.decode_text(data)
        separator = p.detect_separator(text)
        rows = p.csv_records(text, separator)
    except p.TableProblem as problem:
        raise InputFileError(path, str(problem)) from None
    if not text.strip():
        raise InputFileError(path, "the file is empty")
    return rows, {"format": "csv", "encoding": encoding, "separator": separator, "sheet": None}


def _xlsx_rows(path: Path, data: bytes, sheet: str | None) -> tuple[list[list[str | None]], dict]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InputFileError(path, f"is not a readable XLSX workbook ({_one_line(exc)})") from None
        try:
            if sheet is None:
                if not book.worksheets:
                    raise InputFileError(path, "the workbook has no worksheet")
                ws = book.worksheets[0]
            elif sheet in book.sheetnames and sheet in [w.title for w in book.worksheets]:
                ws = book[sheet]
            else:
                raise InputFileError(path, f"has no worksheet '{sheet}' (its worksheets: "
                                           f"{', '.join(w.title for w in book.worksheets)})")
            ws.reset_dimensions()  # some writers record wrong dimensions: read every row
            rows = [[p.cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        finally:
            book.close()
    return rows, {"format": "xlsx", "encoding": None, "separator": None, "sheet": ws.title}


def _blank(row: list) -> bool:
    return all(cell is None or not cell.strip() for cell in row)


def _table(path: Path, rows: list[list[str | None]], info: dict) -> RawTable:
    while rows and _blank(rows[-1]):
        rows.pop()  # blank rows at the end are not rows
    if not rows:
        raise InputFileError(path, "the file is empty")
    header, data = rows[0], rows[1:]
    if _blank(header):
        raise InputFileError(path, "has no header row: the first row is empty (column names "
                                   "must be in the first row)")
    width = len(header) if info["format"] == "csv" else max(len(r) for r in rows)
    long_rows = {}
    for number, row in enumerate(data, start=1):
        if len(row) > width and not _blank(row[width:]):
            cells = max(i + 1 for i, c in enumerate(row) if c is not None and c.strip())
            long_rows[number] = (f"the row has {cells} cells but the header has {width} columns "
                                 f"(a value may contain an unquoted separator)")
    columns: dict[str, pd.Series] = {}
    positions: dict[str, list[int]] = {}
    # Columns of cells; a CSV's cells beyond its header are left out (reported in long_rows).
    transposed = list(itertools.zip_longest(*data, fillvalue=None))
    for j in range(width):
        values = p.clean_text(transposed[j] if j < len(transposed) else [None] * len(data))
        name = p.normalise_name(header[j]) if j < len(header) and header[j] else ""
        if not name:
            if values.isna().all():
                continue  # an empty column without a header: spreadsheet leftovers
            name = f"column_{j + 1}"
        positions.setdefault(name, []).append(j + 1)
        columns[name] = values
    clashes = [f"'{n}' (columns {', '.join(map(str, js))})" for n, js in positions.items() if len(js) > 1]
    if clashes:
        raise InputFileError(path, f"several columns have the same header: {'; '.join(clashes)}")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(data)))
    info = {**info, "rows": len(data)}
    if long_rows:
        info["long_rows"] = long_rows
    return RawTable(path, frame, info)


# --- taking in -----------------------------------------------------------------------------------

def _texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text with <NA> for empty cells."""
    return p.clean_text(frame[column].to_numpy(dtype=object, na_value=None)).set_axis(frame.index)


def _check_columns(raw: RawTable, required: Collection[str]) -> None:
    missing = [c for c in required if c not in raw.frame.columns]
    if missing:
        raise InputFileError(raw.path, f"missing required columns: {', '.join(missing)}")


def _start(raw: RawTable, required: Collection[str]):
    """Check the columns; then every column as clean text, source_row, and whole-row problems."""
    _check_columns(raw, required)
    texts = {column: _texts(raw.frame, column) for column in raw.frame.columns}
    source_row = pd.Series(np.arange(1, len(raw.frame) + 1, dtype="int64"), index=raw.frame.index)
    return texts, source_row, *_row_problems(raw, texts)


def _column(texts: dict[str, pd.Series], column: str, index: pd.Index) -> pd.Series:
    return texts[column] if column in texts else pd.Series(pd.NA, index=index, dtype="string")


def _row_problems(raw: RawTable, texts: dict[str, pd.Series]) -> tuple[pd.Series, pd.Series]:
    """(empty rows, problems of the row as a whole: empty, too many cells)."""
    index = raw.frame.index
    empty = pd.Series(True, index=index)
    for column in texts.values():
        empty &= column.isna().astype(bool)
    problems = pd.Series(None, index=index, dtype=object)
    problems[empty] = EMPTY_ROW
    for number, problem in raw.info.get("long_rows", {}).items():
        problems.iloc[int(number) - 1] = problem
    return empty, problems


def _parse(texts: pd.Series, column: str, kind: str, required: bool) -> tuple[pd.Series, pd.Series]:
    parser, dtype = _KINDS[kind]
    return p.parse_column(column, texts, parser, required=required, dtype=dtype)


def _duplicate_ids(ids: pd.Series, source_row: pd.Series) -> pd.Series:
    first = p.first_seen(ids, source_row)
    problems = pd.Series(None, index=ids.index, dtype=object)
    for index in ids.index[first.notna().astype(bool)]:
        problems[index] = (f"duplicate application_id {p.quote(ids[index])} "
                           f"(first seen in row {first[index]})")
    return problems


def _check_nothing_lost(raw: RawTable, taken: int, set_aside: int) -> None:
    if taken + set_aside != len(raw.frame):  # pragma: no cover - a bug, never a user error
        raise RuntimeError(f"{raw.path}: {len(raw.frame)} rows read but {taken} taken in and "
                           f"{set_aside} set aside")


def _validate(typed: pd.DataFrame, ok: pd.Series, schema: type[pa.DataFrameModel],
              problems: pd.Series) -> pd.Series:
    """Validate the rows that parsed; rows failing a check get its words as their problem."""
    try:
        schema.validate(typed[ok], lazy=True)
    except pa.errors.SchemaErrors as errors:
        by_row, whole = failures_by_row(errors)
        if whole:  # a column-wide failure means the parser produced a wrong type: a bug
            raise RuntimeError(f"{schema.__name__}: {'; '.join(whole)}") from None
        problems = problems.copy()
        for index, words in by_row.items():
            problems[index] = "; ".join(words)
    return problems


def _quarantine(source_row: pd.Series, ids: pd.Series, problems: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({
        "source_row": source_row.astype("int64"),
        "application_id": ids.astype("string"),
        "problems": problems.astype("string"),
    }).reset_index(drop=True)


def take_in(raw: RawTable, resolve_country: Callable[[pd.Series], pd.Series]) -> Intake:
    """Parse and validate the applications; split rows into taken in and quarantined."""
    texts, source_row, empty, row_problems = _start(raw, REQUIRED_APPLICATION_COLUMNS)
    frame = raw.frame
    index = frame.index
    typed = pd.DataFrame({"source_row": source_row}, index=index)
    problems = [row_problems]
    for column, (kind, required) in APPLICATION_FIELDS.items():
        typed[column], problem = _parse(_column(texts, column, index), column, kind, required)
        problems.append(problem)
        if column == "application_id":
            problems.append(_duplicate_ids(typed[column], source_row))
        if column == "country":
            iso3, problem = _resolve(typed[column], resolve_country)
            problems.append(problem)
    typed["country_iso3"] = iso3
    extras = [c for c in frame.columns if c not in APPLICATION_FIELDS]
    for column in extras:
        typed[_kept_name(column)] = texts[column]
    extra_columns = tuple(_kept_name(c) for c in extras)
    words = p.join_problems(problems, index).where(~empty, EMPTY_ROW)
    words = _validate(typed, words.eq(""), ApplicationsSchema, words)
    ok = words.eq("").astype(bool)
    applications = typed[ok].reset_index(drop=True)
    quarantine = _quarantine(source_row[~ok], typed.loc[~ok, "application_id"], words[~ok])
    _check_nothing_lost(raw, len(applications), len(quarantine))
    return Intake(applications, quarantine, extra_columns)


def _resolve(country: pd.Series, resolve_country) -> tuple[pd.Series, pd.Series]:
    """ISO3 codes for the stated countries; a problem where a stated country is not recognised."""
    stated = country.dropna()
    iso3 = pd.Series(pd.NA, index=country.index, dtype="string")
    if len(stated):
        found = pd.Series(resolve_country(stated))
        if len(found) != len(stated):
            raise RuntimeError("resolve_country must return one value per country given")
        iso3[stated.index] = pd.array(found.to_numpy(dtype=object), dtype="string")
    problem = pd.Series(None, index=country.index, dtype=object)
    unresolved = country.notna() & iso3.isna()
    for index in country.index[unresolved.astype(bool)]:
        problem[index] = f"country {p.quote(country[index])} is not a recognised country name or ISO code"
    return iso3, problem


def take_in_scores(raw: RawTable, criterion_ids: Collection[str],
                   scale: tuple[float, float]) -> ScoresIntake:
    """Reviewer scores (contract §2): usable rows in `scores`, the others in `problems`.

    Whether each application_id is a taken-in application is checked later, by the pipeline.
    A second score by the same reviewer for the same application and criterion is a problem.
    """
    texts, source_row, empty, row_problems = _start(raw, REQUIRED_SCORE_COLUMNS)
    frame = raw.frame
    index = frame.index
    columns = {  # column: (parser, dtype, required)
        "application_id": (None, "string", True),
        "reviewer_id": (None, "string", True),
        "criterion": (_criterion_parser(tuple(criterion_ids)), "string", True),
        "score": (_score_parser(*scale), "Float64", True),
        "comment": (None, "string", False),
        "conflict_of_interest": (p.parse_boolean, "boolean", False),
    }
    typed = pd.DataFrame(index=index)
    problems = [row_problems]
    for column, (parser, dtype, required) in columns.items():
        typed[column], problem = p.parse_column(column, _column(texts, column, index), parser,
                                                required=required, dtype=dtype)
        problems.append(problem)
    typed["score"] = typed["score"].astype("float64")
    typed["source_row"] = source_row
    key = typed["application_id"] + "\x1f" + typed["reviewer_id"] + "\x1f" + typed["criterion"]
    first = p.first_seen(key, source_row)
    repeats = pd.Series(None, index=index, dtype=object)
    for i in index[first.notna().astype(bool)]:
        repeats[i] = (f"reviewer {p.quote(typed.at[i, 'reviewer_id'])} already scored "
                      f"{typed.at[i, 'criterion']} for application {p.quote(typed.at[i, 'application_id'])} "
                      f"in row {first[i]}")
    problems.append(repeats)
    words = p.join_problems(problems, index).where(~empty, EMPTY_ROW)
    words = _validate(typed, words.eq(""), ScoresSchema, words)
    ok = words.eq("").astype(bool)
    problem_frame = _quarantine(source_row[~ok], texts["application_id"][~ok], words[~ok])
    _check_nothing_lost(raw, int(ok.sum()), len(problem_frame))
    return ScoresIntake(typed[ok].reset_index(drop=True), problem_frame)


def _criterion_parser(criteria: tuple[str, ...]) -> p.Parser:
    known = {p.normalise_name(c): c for c in criteria}
    problem = f"is not a criterion of the call (its criteria: {', '.join(criteria)})"

    def parse(text: str):
        name = p.normalise_name(text)
        return (known[name], None) if name in known else (None, problem)

    return parse


def _score_parser(low: float, high: float) -> p.Parser:
    def parse(text: str):
        value, problem = p.parse_number(text, allow_negative=True)
        if value is not None and not low <= value <= high:
            return None, f"is outside the scale {low:g} to {high:g}"
        return value, problem

    return parse
